package dev.payproc.core.pipeline;

import dev.payproc.core.model.Operation;
import dev.payproc.core.model.ReplySink;

/**
 * A capture, void or refund of an existing payment. {@code amount} is null when the request names none:
 * the whole authorized amount for a capture, what remains refundable for a refund.
 */
public record LifecycleCommand(
        Operation operation,
        String paymentId,
        String merchantId,
        Long amount,
        String idempotencyKey,
        byte[] requestHash,
        long receivedNanos,
        ReplySink sink)
        implements Command {}
