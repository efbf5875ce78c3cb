package dev.payproc.app.jobs;

import dev.payproc.core.card.Sha256;
import dev.payproc.core.model.Operation;
import dev.payproc.core.model.Reply;
import dev.payproc.core.pipeline.LifecycleCommand;
import dev.payproc.gateway.http.CommandIntake;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Expires authorizations left uncaptured longer than the configured time, as card networks do. It does
 * not touch the ledger itself: it submits an {@code EXPIRE} operation per payment through the same
 * pipeline as a terminal's void (admission, idempotency key {@code expire-<id>}, the payment's writer and
 * row lock), so it can never race a capture, and several processes sweeping at once expire a payment once.
 */
public final class ExpirySweeper extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(ExpirySweeper.class.getName());
    private static final int PER_SWEEP = 500;
    /** Package-private for {@code ExpirySweeperPlanIT}, which checks that an index serves it. */
    static final String DUE = """
            SELECT id, merchant_id FROM payments
            WHERE status IN ('APPROVED', 'REVIEW') AND capture_mode = 'MANUAL' AND captured_amount = 0
              AND created_at < now() - $1 * interval '1 second'
            ORDER BY created_at LIMIT""" + " " + PER_SWEEP;

    private final Pool pool;
    private final Function<java.util.concurrent.Executor, CommandIntake> intakeOnLoop;
    private final long expireAfterSeconds;
    private final long sweepEveryMillis;
    private CommandIntake intake;
    private boolean sweeping;

    public ExpirySweeper(Pool pool, Function<java.util.concurrent.Executor, CommandIntake> intakeOnLoop,
                         long expireAfterSeconds, long sweepEveryMillis) {
        this.pool = pool;
        this.intakeOnLoop = intakeOnLoop;
        this.expireAfterSeconds = expireAfterSeconds;
        this.sweepEveryMillis = sweepEveryMillis;
    }

    @Override
    public Future<?> start() {
        intake = intakeOnLoop.apply(command -> context.runOnContext(v -> command.run()));
        vertx.setPeriodic(sweepEveryMillis, id -> sweep());
        return Future.succeededFuture();
    }

    private void sweep() {
        if (sweeping) return; // the previous sweep's query is still out
        sweeping = true;
        pool.preparedQuery(DUE).execute(Tuple.of(expireAfterSeconds)).onComplete(ar -> {
            sweeping = false;
            if (ar.failed()) {
                LOG.fine("expiry sweep skipped: " + ar.cause());
                return;
            }
            int submitted = 0;
            for (Row r : ar.result()) {
                String paymentId = r.getString(0);
                String key = "expire-" + paymentId;
                byte[] hash = Sha256.of("EXPIRE\u001f" + paymentId);
                Reply refused = intake.offer(sink -> new LifecycleCommand(Operation.EXPIRE, paymentId, r.getString(1), null,
                        key, hash, System.nanoTime(), sink), this::expired);
                if (refused != null) break; // the pipeline is full: the next sweep tries again
                submitted++;
            }
            if (submitted > 0) {
                intake.signal();
                LOG.info("expiry: submitted " + submitted + " uncaptured authorizations older than " + expireAfterSeconds + " s");
            }
        });
    }

    private void expired(Reply reply) {
        if (reply.status() >= 500) LOG.warning("expiry of a payment failed and will be retried: " + reply.body());
    }
}
