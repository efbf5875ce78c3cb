/**
 * The narrow interfaces the gateway reaches the other stages through: the ledger implements the stores and
 * reads, the risk engine the rule-set administration, and the composition root ({@code app}) connects them. The
 * gateway depends on {@code core} only, so its handlers cannot reach SQL or risk state by any other way.
 */
package dev.payproc.core.port;
