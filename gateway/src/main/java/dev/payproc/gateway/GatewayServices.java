package dev.payproc.gateway;

import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.gateway.auth.AdminGuard;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.auth.RateLimits;
import dev.payproc.gateway.http.Admission;
import dev.payproc.gateway.http.EventLoopLag;
import dev.payproc.gateway.ops.ConsoleAssets;
import dev.payproc.gateway.ops.ConsoleFeed;
import dev.payproc.gateway.ops.OpsHandler;
import dev.payproc.gateway.ops.Tunables;
import dev.payproc.ledger.admin.MerchantDirectory;
import dev.payproc.ledger.admin.RiskRuleStore;
import dev.payproc.ledger.audit.AdminAudit;
import dev.payproc.ledger.audit.EventSeals;
import dev.payproc.ledger.read.CardVault;
import dev.payproc.ledger.read.LedgerQueries;
import dev.payproc.ledger.read.PaymentHistory;
import dev.payproc.ledger.read.PaymentQueries;
import dev.payproc.ledger.settlement.Reconciliation;
import dev.payproc.ledger.settlement.SettlementReports;
import dev.payproc.risk.stage.RiskShards;

import java.time.Clock;

/** What the gateway verticles share, built once by the composition root. */
public record GatewayServices(GatewaySettings settings, RiskShards risk, Admission admission, EventLoopLag eventLoopLag,
                              ApiKeyAuthenticator authenticator, AdminGuard adminGuard, CardTokenizer tokenizer, CardVault vault,
                              PaymentQueries queries, LedgerQueries ledger, SettlementReports settlements, Reconciliation reconciliation,
                              MerchantDirectory directory, PipelineMetrics metrics, OpsHandler ops,
                              Clock clock, RiskRuleStore rules, PaymentHistory history,
                              AdminAudit audit, EventSeals seals, Tunables tunables, RateLimits rateLimits, ConsoleFeed console,
                              ConsoleAssets consoleAssets) {}
