package dev.payproc.core.port;

import io.vertx.core.Future;

/** Rule-set documents as they were put, by version. */
public interface RuleSetStore {
    /** A stored document and its version. */
    record Stored(int version, String document) {}

    /** The newest stored rule set, or null. */
    Future<Stored> latest();

    /** Stores a version with its audit entry; completes false when that version exists already. */
    Future<Boolean> put(int version, String document, String actor, String auditDetail);
}
