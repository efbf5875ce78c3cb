package dev.payproc.gateway;

import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.metrics.PipelineMetrics;
import dev.payproc.core.port.AuditTrail;
import dev.payproc.core.port.Balances;
import dev.payproc.core.port.CardAliases;
import dev.payproc.core.port.CardFiles;
import dev.payproc.core.port.CardKeyRotation;
import dev.payproc.core.port.CommandRouter;
import dev.payproc.core.port.DecisionHistory;
import dev.payproc.core.port.Merchants;
import dev.payproc.core.port.PaymentReader;
import dev.payproc.core.port.Reconciler;
import dev.payproc.core.port.RiskRules;
import dev.payproc.core.port.RuleSetStore;
import dev.payproc.core.port.SealTrail;
import dev.payproc.core.port.Settlements;
import dev.payproc.gateway.auth.AdminGuard;
import dev.payproc.gateway.auth.ApiKeyAuthenticator;
import dev.payproc.gateway.auth.RateLimits;
import dev.payproc.gateway.http.Admission;
import dev.payproc.gateway.http.EventLoopLag;
import dev.payproc.gateway.ops.ConsoleAssets;
import dev.payproc.gateway.ops.ConsoleFeed;
import dev.payproc.gateway.ops.OpsHandler;
import dev.payproc.gateway.ops.Tunables;
import java.time.Clock;

/** What the gateway verticles share, built once by the composition root. */
public record GatewayServices(
        GatewaySettings settings,
        CommandRouter router,
        RiskRules riskRules,
        Admission admission,
        EventLoopLag eventLoopLag,
        ApiKeyAuthenticator authenticator,
        AdminGuard adminGuard,
        CardTokenizer tokenizer,
        CardFiles vault,
        PaymentReader queries,
        Balances ledger,
        Settlements settlements,
        Reconciler reconciliation,
        Merchants directory,
        PipelineMetrics metrics,
        OpsHandler ops,
        Clock clock,
        RuleSetStore rules,
        DecisionHistory history,
        AuditTrail audit,
        SealTrail seals,
        Tunables tunables,
        RateLimits rateLimits,
        ConsoleFeed console,
        ConsoleAssets consoleAssets,
        CardKeyRotation cardKeys,
        CardAliases aliases) {}
