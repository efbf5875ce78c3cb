package dev.payproc.core.pipeline;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.ReplySink;

/**
 * An admitted authorization on its way from the gateway to the risk stage. {@code requestHash} identifies
 * the request's content (not its bytes) for idempotency; {@code receivedNanos} starts the end-to-end clock.
 */
public record AuthorizationCommand(
        Authorization authorization, String idempotencyKey, byte[] requestHash, long receivedNanos, ReplySink sink)
        implements Command {
    @Override
    public String merchantId() {
        return authorization.merchantId();
    }
}
