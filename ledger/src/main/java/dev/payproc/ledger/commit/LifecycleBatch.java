package dev.payproc.ledger.commit;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.FeeSchedule;
import dev.payproc.core.model.Operation;
import dev.payproc.core.model.Payment;
import dev.payproc.core.model.PaymentEvent;
import dev.payproc.core.model.PaymentLifecycle;
import dev.payproc.core.model.PaymentState;
import dev.payproc.core.model.Posting;
import dev.payproc.core.model.Reply;
import dev.payproc.core.model.StoredPayment;
import dev.payproc.core.pipeline.LifecycleCommand;
import dev.payproc.core.pipeline.LifecycleRequest;
import dev.payproc.ledger.read.PaymentQueries;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Commits a batch of captures, voids and refunds in one transaction: lock the payments ({@code FOR UPDATE},
 * in id order so concurrent batches cannot deadlock), read which idempotency keys already exist, run the
 * state machine in arrival order, then write every state change, event, posting and stored answer in one
 * statement, the events, postings and stored answers sealed together in the writer's chain. The row locks serialize racing operations on one payment across
 * processes; the table's CHECK constraints (refunded <= captured <= amount) guard the ledger even against a bug here.
 */
final class LifecycleBatch {
    /** The answer to one operation, sent only after the transaction commits. */
    record Answer(LifecycleRequest request, Reply reply) {}

    /** Another process committed one of our keys between our read and our write: retry item by item. */
    static final class KeyRace extends RuntimeException {
        KeyRace() {
            super("an idempotency key was taken concurrently", null, false, false);
        }
    }

    private static final String LOCK = "SELECT id FROM payments WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE";
    /**
     * Read after {@link #LOCK}, in a statement of its own: under READ COMMITTED a statement that waited for a row
     * lock sees the locked row's new version but the rest (the events) as of its own start, so reading them in
     * the locking statement could miss the events of the transaction it waited for.
     */
    private static final String READ = PaymentQueries.WITH_EVENTS + " WHERE p.id = ANY($1::text[])";

    static final String WRITE = """
            WITH u AS (
              UPDATE payments p SET status = x.status, captured_amount = x.captured, refunded_amount = x.refunded, fee_amount = x.fee
              FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $27::bigint[]) AS x(id, status, captured, refunded, fee)
              WHERE p.id = x.id
            ), event_input AS (
              SELECT id AS payment_id, seq, type, status, amount, timestamptz 'epoch' + ms * interval '1 millisecond' AS created_at,
                     merchant AS merchant_id
              FROM unnest($5::text[], $6::int[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $32::text[])
                AS t(id, seq, type, status, amount, ms, merchant)
            ), """ + FeedSql.take("event_input") + """
            , sealed_events AS (
              SELECT e.*, s.first_seq - 1 + row_number() OVER (PARTITION BY merchant_id ORDER BY created_at, payment_id, seq)
                       AS feed_seq
              FROM event_input e JOIN sealed_feed s USING (merchant_id)
            ), sealed_postings AS (
              SELECT id AS payment_id, seq AS event_seq, leg, account, merchant AS merchant_id, direction, amount, currency,
                     ms AS created_ms
              FROM unnest($11::text[], $12::int[], $13::int[], $14::text[], $15::text[], $16::text[], $17::bigint[],
                          $18::text[], $19::bigint[]) AS t(id, seq, leg, account, merchant, direction, amount, currency, ms)
            ), """ + EventSealSql.NO_PAYMENTS + """
            , sealed_keys AS (
              SELECT m AS merchant_id, k AS idempotency_key, h AS request_hash, p AS payment_id, s AS response_status,
                     b AS response_body, ms AS created_ms
              FROM unnest($20::text[], $21::text[], $22::bytea[], $23::text[], $24::int[], $25::text[], $26::bigint[])
                AS t(m, k, h, p, s, b, ms)
            ), """
            + EventSealSql.sealWithFeed(28, 29, 30, 31)
            + ", " + EventSealSql.insertEvents(28, 29) + ", "
            + EventSealSql.insertPostingsAndKeys(28, 29, "ON CONFLICT DO NOTHING RETURNING 1") + """

            SELECT (SELECT count(*) FROM k) AS keys, (SELECT count(*) FROM seal) AS seals""";

    /** The answers of a batch, and whether its statement wrote a seal (so consumed the seq it was given). */
    record Result(List<Answer> answers, boolean sealed) {}

    private final List<LifecycleRequest> ops;
    private final PaymentRenderer renderer;
    private final Instant now;
    private final FeeSchedule fees;
    private final SealLink seal;
    private final Map<String, StoredPayment> payments = new LinkedHashMap<>();
    private final Map<String, StoredPayment> changed = new LinkedHashMap<>();
    private final List<Answer> answers = new ArrayList<>();
    private final Columns events = new Columns();
    private final Columns postings = new Columns();
    private final Columns keys = new Columns();
    /** The merchant of each event, in {@link #events} order: $32, added with the feed (V18). */
    private final List<String> eventMerchants = new ArrayList<>();

    private LifecycleBatch(
            List<LifecycleRequest> ops, PaymentRenderer renderer, Instant now, FeeSchedule fees, SealLink seal) {
        this.seal = seal;
        this.ops = ops;
        this.renderer = renderer;
        this.now = now;
        this.fees = fees;
    }

    /** Runs inside a transaction on {@code conn}; the answers are valid once it commits. */
    static Future<Result> run(
            SqlConnection conn,
            List<LifecycleRequest> ops,
            PaymentRenderer renderer,
            Instant now,
            FeeSchedule fees,
            SealLink seal) {
        return new LifecycleBatch(ops, renderer, now, fees, seal).run(conn);
    }

    private Future<Result> run(SqlConnection conn) {
        String[] ids = ops.stream()
                .map(o -> o.command().paymentId())
                .distinct()
                .sorted()
                .toArray(String[]::new);
        return conn.preparedQuery(LOCK)
                .execute(Tuple.tuple().addValue(ids))
                .compose(
                        locked -> conn.preparedQuery(READ).execute(Tuple.tuple().addValue(ids)))
                .compose(rows -> {
                    for (Row r : rows) payments.put(r.getString("id"), PaymentQueries.toStored(r));
                    return conn.preparedQuery(AuthorizationBatchSql.STORED_ANSWERS)
                            .execute(AuthorizationBatchSql.storedAnswerParams(ops));
                })
                .compose(stored -> {
                    Map<String, Row> known = new HashMap<>();
                    for (Row r : stored) known.put(r.getString(0) + '\u0000' + r.getString(1), r);
                    for (LifecycleRequest op : ops) {
                        Row existing = known.get(op.command().merchantId()
                                + '\u0000'
                                + op.command().idempotencyKey());
                        answers.add(new Answer(op, existing != null ? storedAnswer(op, existing) : apply(op)));
                    }
                    if (changed.isEmpty()) return Future.succeededFuture(new Result(answers, false));
                    int expectedKeys = keys.size();
                    return conn.preparedQuery(WRITE).execute(writeParams()).map(rows -> {
                        Row r = rows.iterator().next();
                        if (r.getLong(0) != expectedKeys) throw new KeyRace();
                        return new Result(answers, r.getLong(1) > 0);
                    });
                });
    }

    private Reply apply(LifecycleRequest request) {
        LifecycleCommand op = request.command();
        StoredPayment current = payments.get(op.paymentId());
        if (current == null || !current.payment().authorization().merchantId().equals(op.merchantId())) {
            return Errors.reply(404, "not_found", "no payment with this id for this merchant");
        }
        Payment p = current.payment();
        PaymentState state = new PaymentState(
                current.status(),
                p.authorization().amount(),
                p.capturedAmount(),
                p.refundedAmount(),
                p.authorization().capture(),
                current.events().size(),
                current.disputedAmount());
        PaymentLifecycle.Outcome outcome = PaymentLifecycle.apply(
                state,
                op.operation(),
                op.amount(),
                now,
                fees,
                op.merchantId(),
                p.authorization().currency());
        if (outcome.refused()) return Errors.reply(409, "invalid_state", outcome.refusal());

        PaymentState next = outcome.state();
        List<PaymentEvent> history = new ArrayList<>(current.events());
        history.add(outcome.event());
        long fee = p.feeAmount();
        for (Posting post : outcome.postings()) if (post.account().equals(Posting.FEE_INCOME)) fee += post.amount();
        StoredPayment updated = new StoredPayment(
                new Payment(
                        p.id(),
                        p.authorization(),
                        p.decision(),
                        p.authCode(),
                        next.capturedAmount(),
                        next.refundedAmount(),
                        p.createdAt(),
                        fee),
                next.status(),
                history,
                next.disputedAmount());
        payments.put(p.id(), updated);
        changed.put(p.id(), updated);

        PaymentEvent e = outcome.event();
        events.add(
                p.id(), e.seq(), e.type(), e.status(), e.amount(), e.createdAt().toEpochMilli());
        eventMerchants.add(op.merchantId());
        int leg = 1;
        for (Posting post : outcome.postings()) {
            postings.add(
                    p.id(),
                    e.seq(),
                    leg++,
                    post.account(),
                    op.merchantId(),
                    String.valueOf(post.direction()),
                    post.amount(),
                    p.authorization().currency(),
                    e.createdAt().toEpochMilli());
        }
        Reply reply = Reply.of(op.operation() == Operation.REFUND ? 201 : 200, renderer.payment(updated));
        keys.add(
                op.merchantId(),
                op.idempotencyKey(),
                Buffer.buffer(op.requestHash()),
                p.id(),
                reply.status(),
                reply.body(),
                now.toEpochMilli());
        return reply;
    }

    private static Reply storedAnswer(LifecycleRequest op, Row row) {
        if (!Arrays.equals(
                row.getBuffer("request_hash").getBytes(), op.command().requestHash())) {
            return Errors.IDEMPOTENCY_CONFLICT;
        }
        return new Reply(200, row.getString("response_body"), true, 0);
    }

    private Tuple writeParams() {
        Tuple t = Tuple.tuple()
                .addValue(changed.keySet().toArray(String[]::new))
                .addValue(changed.values().stream().map(StoredPayment::status).toArray(String[]::new))
                .addValue(changed.values().stream()
                        .map(s -> s.payment().capturedAmount())
                        .toArray(Long[]::new))
                .addValue(changed.values().stream()
                        .map(s -> s.payment().refundedAmount())
                        .toArray(Long[]::new));
        events.appendTo(t, String[]::new, Integer[]::new, String[]::new, String[]::new, Long[]::new, Long[]::new);
        postings.appendTo(
                t,
                String[]::new,
                Integer[]::new,
                Integer[]::new,
                String[]::new,
                String[]::new,
                String[]::new,
                Long[]::new,
                String[]::new,
                Long[]::new);
        keys.appendTo(
                t,
                String[]::new,
                String[]::new,
                Buffer[]::new,
                String[]::new,
                Integer[]::new,
                String[]::new,
                Long[]::new);
        return t.addValue(changed.values().stream()
                        .map(s -> s.payment().feeAmount())
                        .toArray(Long[]::new))
                .addValue(seal.chain())
                .addValue(seal.seq())
                .addValue(seal.innerPad())
                .addValue(seal.outerPad())
                .addValue(eventMerchants.toArray(String[]::new));
    }
}
