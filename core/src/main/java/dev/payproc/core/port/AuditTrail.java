package dev.payproc.core.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** The hash-chained trail of admin changes. */
public interface AuditTrail {
    record Entry(long seq, Instant at, String actor, String action, String detail) {}

    /** The first broken row (null when the chain is intact) and how many rows were checked. */
    record Verification(long checked, Long brokenAt, String problem) {
        public boolean intact() {
            return brokenAt == null;
        }
    }

    Future<Entry> append(String actor, String action, String detail);

    Future<List<Entry>> recent(int limit);

    Future<Verification> verify();
}
