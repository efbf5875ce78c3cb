package dev.payproc.core.port;

import dev.payproc.core.metrics.LatencyMetric;

/**
 * What cluster mode (issue 19) shows in {@code /metrics}: the membership this process sees, the card partitions it
 * owns, and the authorizations it forwarded to their cards' owners and received from other members. Absent in a
 * single process.
 */
public interface ClusterStatus {
    record Snapshot(
            String nodeId,
            int members,
            int partitions,
            int partitionsOwned,
            long forwardedOut,
            long forwardedIn,
            long forwardFailures) {}

    Snapshot snapshot();

    /** From a forward's send to its answer's arrival, forwards that were answered. */
    LatencyMetric forwardLatency();
}
