package dev.payproc.core.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** The keyed hash chain of admin changes. */
public interface AuditTrail {
    /** The name of this chain in anchors ({@code admin:SEQ:HASH}). */
    String CHAIN = "admin";

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

    /** The newest row as an anchor of chain {@value #CHAIN}; null while the trail is empty. */
    Future<SealTrail.Anchor> anchor();

    /**
     * The first of these anchors (all of chain {@value #CHAIN}) whose row is gone or has another hash, described;
     * null when every one still holds. The chain alone cannot show its newest rows cut off, an anchor kept outside can.
     */
    Future<String> verifyAnchors(List<SealTrail.Anchor> anchors);
}
