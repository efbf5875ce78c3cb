package dev.payproc.core.port;

import io.vertx.core.Future;
import java.util.List;

/** Checks that the ledger agrees with itself. */
public interface Reconciler {
    record Problem(String check, String id, String detail) {}

    record Result(long payments, long postings, long settlements, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    Future<Result> run();
}
