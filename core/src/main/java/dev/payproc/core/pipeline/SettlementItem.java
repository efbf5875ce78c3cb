package dev.payproc.core.pipeline;

/** What a settlement writer commits: a decided authorization or a lifecycle operation, in arrival order. */
public sealed interface SettlementItem permits DecidedAuthorization, LifecycleRequest {
    Command command();

    IdempotencyEntry idempotency();

    /** When the risk stage handed the item on, for the settlement-queue latency. */
    long decidedNanos();
}
