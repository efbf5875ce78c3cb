package dev.payproc.core.pipeline;

import dev.payproc.core.model.Payment;

/** A decided payment on its way from the risk stage to a settlement writer, which commits and answers it. */
public record DecidedAuthorization(
        AuthorizationCommand command, Payment payment, IdempotencyEntry idempotency, long decidedNanos)
        implements SettlementItem {}
