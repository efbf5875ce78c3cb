package dev.payproc.core.port;

import java.util.Map;

/** The delivery figures /metrics and the console show: read at any time, computed by the dispatcher periodically. */
public interface WebhookStatus {
    WebhookStatus NONE = () -> new Snapshot(0, 0, 0, 0, Map.of());

    /**
     * {@code backlogEvents}: events after the cursors of the enabled endpoints; {@code endpointsBehind}: how many have
     * any; {@code parked}: events parked and not re-sent; {@code inFlight}: deliveries of this process waiting for an
     * answer; {@code deliveries}: this process's attempts by outcome since it started.
     */
    record Snapshot(
            long backlogEvents, long endpointsBehind, long parked, int inFlight, Map<String, Long> deliveries) {}

    Snapshot snapshot();
}
