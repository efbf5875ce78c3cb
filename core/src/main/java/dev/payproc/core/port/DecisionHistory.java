package dev.payproc.core.port;

import dev.payproc.core.model.Authorization;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Stored authorizations in the order they were decided, for backtests. */
public interface DecisionHistory {
    /** An authorization as it was decided: its outcome (the first event) and the rules that fired. */
    record DecidedAttempt(Authorization authorization, long atMillis, String decidedStatus, Set<String> reasonCodes) {}

    Future<List<DecidedAttempt>> decided(Instant from, Instant to, int limit);
}
