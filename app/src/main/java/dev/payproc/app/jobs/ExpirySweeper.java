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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Expires authorizations left uncaptured longer than the configured time, as card networks do. It does
 * not touch the ledger itself: it submits an {@code EXPIRE} operation per payment through the same
 * pipeline as a terminal's void (admission, idempotency key {@code expire:<id>}, the payment's writer and
 * row lock), so it can never race a capture, and several processes sweeping at once expire a payment once.
 * Each sweep reads on after the last payment the previous one tried, back to the oldest after the last page,
 * so payments whose expiry keeps failing are retried without ever filling every page.
 */
public final class ExpirySweeper extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(ExpirySweeper.class.getName());
    private static final int PER_SWEEP = 500;
    /** Package-private for {@code ExpirySweeperPlanIT}, which checks that an index serves it. */
    static final String DUE = """
            SELECT id, merchant_id, created_at FROM payments
            WHERE status IN ('APPROVED', 'REVIEW') AND capture_mode = 'MANUAL' AND captured_amount = 0
              AND created_at < now() - $1 * interval '1 second' AND (created_at, id) > ($2, $3)
            ORDER BY created_at, id LIMIT""" + " " + PER_SWEEP;
    /** Where a sweep starts from the oldest payment. */
    static final OffsetDateTime FROM_THE_OLDEST = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final Pool pool;
    private final Function<java.util.concurrent.Executor, CommandIntake> intakeOnLoop;
    private final long expireAfterSeconds;
    private final long sweepEveryMillis;
    private CommandIntake intake;
    private boolean sweeping;
    private OffsetDateTime afterCreatedAt = FROM_THE_OLDEST;
    private String afterId = "";

    public ExpirySweeper(
            Pool pool,
            Function<java.util.concurrent.Executor, CommandIntake> intakeOnLoop,
            long expireAfterSeconds,
            long sweepEveryMillis) {
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
        pool.preparedQuery(DUE)
                .execute(Tuple.of(expireAfterSeconds, afterCreatedAt, afterId))
                .onComplete(ar -> {
                    sweeping = false;
                    if (ar.failed()) {
                        LOG.fine("expiry sweep skipped: " + ar.cause());
                        return;
                    }
                    int submitted = 0;
                    boolean full = false;
                    for (Row r : ar.result()) {
                        String paymentId = r.getString(0);
                        String key = idempotencyKey(paymentId);
                        byte[] hash = Sha256.of("EXPIRE\u001f" + paymentId);
                        Reply refused = intake.offer(
                                r.getString(1),
                                sink -> new LifecycleCommand(
                                        Operation.EXPIRE,
                                        paymentId,
                                        r.getString(1),
                                        null,
                                        key,
                                        hash,
                                        System.nanoTime(),
                                        sink),
                                reply -> expired(paymentId, reply));
                        if (refused
                                != null) { // the pipeline (or this merchant's share) is full: the next sweep goes on
                            // from here
                            full = true;
                            break;
                        }
                        afterCreatedAt = r.getOffsetDateTime(2);
                        afterId = paymentId;
                        submitted++;
                    }
                    if (!full && ar.result().size() < PER_SWEEP) {
                        afterCreatedAt = FROM_THE_OLDEST;
                        afterId = "";
                    }
                    if (submitted > 0) {
                        intake.signal();
                        LOG.info("expiry: submitted " + submitted + " uncaptured authorizations older than "
                                + expireAfterSeconds + " s");
                    }
                });
    }

    /**
     * The key an expiry is submitted under, in the payment's merchant's namespace: ':' is outside the
     * alphabet clients' keys are held to ({@code StrictJson}), so no request can take it first.
     */
    public static String idempotencyKey(String paymentId) {
        return "expire:" + paymentId;
    }

    private void expired(String paymentId, Reply reply) {
        if (reply.status() != 200) {
            LOG.warning("expiry of " + paymentId + " not applied (" + reply.status()
                    + "), tried again while it is due: " + reply.body());
        }
    }
}
