package dev.payproc.core.pipeline;

import dev.payproc.core.model.ReplySink;

/**
 * What the gateway hands to the risk stage: a new authorization, or an operation on an existing payment.
 * Both carry the idempotency identity the risk stage resolves before anything else.
 */
public sealed interface Command permits AuthorizationCommand, LifecycleCommand {
    String merchantId();

    String idempotencyKey();

    byte[] requestHash();

    long receivedNanos();

    ReplySink sink();
}
