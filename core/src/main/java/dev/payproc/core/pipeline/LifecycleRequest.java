package dev.payproc.core.pipeline;

/** A lifecycle operation on its way from the risk stage to the writer that owns its payment. */
public record LifecycleRequest(LifecycleCommand command, IdempotencyEntry idempotency, long decidedNanos)
        implements SettlementItem {}
