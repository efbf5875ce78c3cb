package dev.payproc.core.port;

import io.vertx.core.Future;
import java.util.List;

/** The seals over every payment state change, each writer's chain of them, and anchors kept outside. */
public interface SealTrail {
    /** The seals and events checked, and the first problem found (null when all is intact). */
    record Verification(long seals, long events, String problem) {
        public boolean intact() {
            return problem == null;
        }
    }

    /** The newest seal of a chain, as an operator keeps it outside the database: chain id, seq, hash (hex). */
    record Anchor(String chain, long seq, String hash) {}

    Future<List<Anchor>> anchors();

    /** The first anchor whose seal is gone or has another hash, described; null when all are there. */
    Future<String> verifyAnchors(List<Anchor> anchors);

    Future<Verification> verify();
}
