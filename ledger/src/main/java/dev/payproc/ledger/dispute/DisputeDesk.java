package dev.payproc.ledger.dispute;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.model.DisputeLifecycle;
import dev.payproc.core.model.DisputeStatus;
import dev.payproc.core.model.Errors;
import dev.payproc.core.model.FeeSchedule;
import dev.payproc.core.model.Payment;
import dev.payproc.core.model.PaymentIds;
import dev.payproc.core.model.PaymentState;
import dev.payproc.core.model.Reply;
import dev.payproc.core.model.StoredPayment;
import dev.payproc.core.port.Disputes;
import dev.payproc.ledger.commit.DisputeEventSql;
import dev.payproc.ledger.commit.SealLink;
import dev.payproc.ledger.read.PaymentQueries;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs dispute steps: rare, so each in a transaction of its own rather than through the settlement writers. A step
 * takes the dispute chain's advisory lock (every process extends the one chain {@link DisputeEventSql#CHAIN}, one step
 * at a time, so it reads the chain's head instead of keeping it), then locks the payment ({@code FOR UPDATE}, as the
 * lifecycle batches do, so a refund and a dispute of one payment apply one after the other), runs
 * {@link DisputeLifecycle} and writes the dispute row, then the payment's event, postings and stored answer in one
 * sealed statement. Admin requests' idempotency keys are kept in the payment's merchant's key space under a prefix
 * no merchant key can have, so neither can replay the other's.
 */
public final class DisputeDesk implements Disputes {
    private static final String LOCK_CHAIN = "SELECT pg_advisory_xact_lock(hashtext('" + DisputeEventSql.CHAIN + "'))";
    private static final String LOCK_PAYMENT = "SELECT id FROM payments WHERE id = $1 FOR UPDATE";
    private static final String READ_PAYMENT = PaymentQueries.WITH_EVENTS + " WHERE p.id = $1";
    private static final String STORED = """
            SELECT request_hash, response_body FROM idempotency_keys WHERE merchant_id = $1 AND idempotency_key = $2""";
    private static final String INSERT_DISPUTE = """
            INSERT INTO disputes (id, payment_id, merchant_id, reason_code, amount, currency, status, due_date, fee,
                                  complaint_id, opened_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10) RETURNING *""";
    private static final String UPDATE_DISPUTE = """
            UPDATE disputes SET status = $2, evidence = coalesce($3::jsonb, evidence),
                                evidence_at = CASE WHEN $3::jsonb IS NULL THEN evidence_at ELSE $4 END,
                                fee = $5, closed_at = CASE WHEN $2 IN ('OPEN', 'EVIDENCE_SUBMITTED') THEN NULL ELSE $4 END
            WHERE id = $1 RETURNING *""";
    private static final String LOCK_COMPLAINT = "SELECT * FROM complaints WHERE id = $1 FOR UPDATE";
    private static final String ESCALATED = "UPDATE complaints SET status = 'ESCALATED', dispute_id = $2 WHERE id = $1";
    private static final String ADMIN_KEYS = "admin:";
    /** By the index disputes_status: undecided disputes are few, whatever the number decided. */
    private static final String OPEN_TOTALS = """
            SELECT currency, count(*), sum(amount)::bigint FROM disputes WHERE status IN ('OPEN', 'EVIDENCE_SUBMITTED')
            GROUP BY currency ORDER BY currency""";

    private static final Reply NO_PAYMENT = Errors.reply(404, "not_found", "no payment with this id");
    private static final Reply NO_DISPUTE = Errors.reply(404, "not_found", "no dispute with this id");

    private final Pool pool;
    private final AuditKey auditKey;
    private final FeeSchedule fees;
    private final Clock clock;
    private final Renderer renderer;
    private final ComplaintBook complaints;

    public DisputeDesk(Pool pool, AuditKey auditKey, FeeSchedule fees, Clock clock, Renderer renderer) {
        this.pool = pool;
        this.auditKey = auditKey;
        this.fees = fees;
        this.clock = clock;
        this.renderer = renderer;
        this.complaints = new ComplaintBook(pool, clock, renderer);
    }

    @Override
    public Future<Reply> open(String paymentId, String reasonCode, Long amount, LocalDate dueDate, Caller caller) {
        return pool.withTransaction(conn -> conn.query(LOCK_CHAIN)
                .execute()
                .compose(v -> payment(conn, paymentId))
                .compose(sp -> ifNew(
                        conn,
                        sp,
                        caller,
                        () -> openOn(conn, sp, newDisputeId(now()), reasonCode, amount, dueDate, null, caller))));
    }

    @Override
    public Future<Reply> escalate(
            String complaintId, String reasonCode, Long amount, LocalDate dueDate, Caller caller) {
        return pool.withTransaction(conn -> conn.query(LOCK_CHAIN)
                .execute()
                .compose(v -> conn.preparedQuery(LOCK_COMPLAINT).execute(Tuple.of(complaintId)))
                .compose(rows -> {
                    if (rows.size() == 0)
                        return Future.succeededFuture(Errors.reply(404, "not_found", "no complaint with this id"));
                    Complaint c = DisputeRows.complaint(rows.iterator().next());
                    return payment(conn, c.paymentId())
                            .compose(sp -> ifNew(conn, sp, caller, () -> {
                                if (c.disputeId() != null) {
                                    return Future.succeededFuture(Errors.reply(
                                            409,
                                            "invalid_state",
                                            "the complaint was already escalated into dispute " + c.disputeId()));
                                }
                                if ("CLOSED".equals(c.status())) {
                                    return Future.succeededFuture(Errors.reply(
                                            409,
                                            "invalid_state",
                                            "the complaint is closed (" + c.resolution()
                                                    + ") and cannot be escalated"));
                                }
                                String id = newDisputeId(now());
                                return openOn(conn, sp, id, reasonCode, amount, dueDate, c.id(), caller)
                                        .compose(reply -> reply.status() != 201
                                                ? Future.succeededFuture(reply)
                                                : conn.preparedQuery(ESCALATED)
                                                        .execute(Tuple.of(c.id(), id))
                                                        .map(reply));
                            }));
                }));
    }

    @Override
    public Future<Reply> submitEvidence(String disputeId, String text, List<EvidenceFile> files, Caller caller) {
        return onDispute(
                disputeId,
                caller,
                (d, today) -> DisputeLifecycle.evidence(d.status(), d.dueDate(), today),
                new Evidence(text, files, null));
    }

    @Override
    public Future<Reply> accept(String disputeId, Caller caller) {
        return onDispute(
                disputeId,
                caller,
                (d, today) -> DisputeLifecycle.accept(d.status(), d.amount(), fees.disputeFee(d.currency())),
                null);
    }

    @Override
    public Future<Reply> decide(String disputeId, boolean won, Caller caller) {
        return onDispute(
                disputeId,
                caller,
                (d, today) -> DisputeLifecycle.decide(d.status(), won, d.amount(), fees.disputeFee(d.currency())),
                null);
    }

    @Override
    public Future<Dispute> find(String disputeId, String merchantId) {
        return pool.preparedQuery(DisputeRows.DISPUTE_BY_ID)
                .execute(Tuple.of(disputeId))
                .map(rows -> {
                    if (rows.size() == 0) return null;
                    Dispute d = DisputeRows.dispute(rows.iterator().next());
                    return merchantId == null || d.merchantId().equals(merchantId) ? d : null;
                });
    }

    @Override
    public Future<List<Dispute>> list(String merchantId, DisputeStatus status, int limit) {
        return pool.preparedQuery(DisputeRows.DISPUTES)
                .execute(Tuple.of(merchantId, status == null ? null : status.name(), limit))
                .map(DisputeRows::disputes);
    }

    @Override
    public Future<List<OpenTotal>> openTotals() {
        return pool.query(OPEN_TOTALS).execute().map(rows -> {
            List<OpenTotal> out = new java.util.ArrayList<>(rows.size());
            for (Row r : rows) out.add(new OpenTotal(r.getString(0), r.getLong(1), r.getLong(2)));
            return out;
        });
    }

    @Override
    public Future<List<Dispute>> ofPayment(String paymentId) {
        return pool.preparedQuery(DisputeRows.DISPUTES_OF_PAYMENT)
                .execute(Tuple.of(paymentId))
                .map(DisputeRows::disputes);
    }

    @Override
    public Future<Reply> complain(String paymentId, String reason, String description, Caller caller) {
        return complaints.complain(paymentId, reason, description, caller);
    }

    @Override
    public Future<Reply> closeComplaint(String complaintId, String resolution, Caller caller) {
        return complaints.close(complaintId, resolution, caller);
    }

    @Override
    public Future<List<Complaint>> complaints(String merchantId, String status, int limit) {
        return complaints.list(merchantId, status, limit);
    }

    /** Which step an existing dispute takes, decided on its state and the day (UTC). */
    private interface StepRule {
        DisputeLifecycle.Step apply(Dispute d, LocalDate today);
    }

    /** Runs the step {@code rule} decides on the dispute; {@code evidence} is what the step records (null for none). */
    private Future<Reply> onDispute(String disputeId, Caller caller, StepRule rule, Evidence evidence) {
        return pool.withTransaction(conn -> conn.query(LOCK_CHAIN)
                .execute()
                .compose(v -> conn.preparedQuery(DisputeRows.DISPUTE_BY_ID).execute(Tuple.of(disputeId)))
                .compose(rows -> {
                    if (rows.size() == 0) return Future.succeededFuture(NO_DISPUTE);
                    Dispute d = DisputeRows.dispute(rows.iterator().next());
                    if (!caller.admin() && !d.merchantId().equals(caller.merchantId()))
                        return Future.succeededFuture(NO_DISPUTE);
                    return payment(conn, d.paymentId())
                            .compose(sp -> ifNew(conn, sp, caller, () -> {
                                Instant now = now();
                                DisputeLifecycle.Step step = rule.apply(d, LocalDate.ofInstant(now, ZoneOffset.UTC));
                                if (step.refused()) return Future.succeededFuture(refusal(step));
                                Object evidenceJson = evidence == null ? null : DisputeRows.evidenceJson(evidence);
                                return conn.preparedQuery(UPDATE_DISPUTE)
                                        .execute(Tuple.of(
                                                d.id(),
                                                step.status().name(),
                                                evidenceJson,
                                                now.atOffset(ZoneOffset.UTC),
                                                d.fee() + step.fee()))
                                        .compose(updated -> {
                                            Dispute next = DisputeRows.dispute(
                                                    updated.iterator().next());
                                            Reply reply = Reply.of(200, renderer.dispute(next));
                                            return writeEvent(conn, sp, step, next.amount(), now, caller, reply);
                                        });
                            }));
                }));
    }

    private Future<Reply> openOn(
            SqlConnection conn,
            StoredPayment sp,
            String id,
            String reasonCode,
            Long requested,
            LocalDate dueDate,
            String complaintId,
            Caller caller) {
        PaymentState state = state(sp);
        long amount = requested == null ? state.undisputedRemainder() : requested;
        DisputeLifecycle.Step step = DisputeLifecycle.open(state, amount);
        if (step.refused()) return Future.succeededFuture(refusal(step));
        Instant now = now();
        Payment p = sp.payment();
        return conn.preparedQuery(INSERT_DISPUTE)
                .execute(Tuple.tuple()
                        .addValue(id)
                        .addValue(p.id())
                        .addValue(p.authorization().merchantId())
                        .addValue(reasonCode)
                        .addValue(amount)
                        .addValue(p.authorization().currency())
                        .addValue(step.status().name())
                        .addValue(dueDate)
                        .addValue(complaintId)
                        .addValue(now.atOffset(ZoneOffset.UTC)))
                .compose(rows -> {
                    Reply reply = Reply.of(
                            201,
                            renderer.dispute(DisputeRows.dispute(rows.iterator().next())));
                    return writeEvent(conn, sp, step, amount, now, caller, reply);
                });
    }

    /** The step's event, postings and stored answer, sealed as the next seal of the chain. */
    private Future<Reply> writeEvent(
            SqlConnection conn,
            StoredPayment sp,
            DisputeLifecycle.Step step,
            long amount,
            Instant now,
            Caller caller,
            Reply reply) {
        Payment p = sp.payment();
        DisputeEventSql.Step write = new DisputeEventSql.Step(
                p.id(),
                step.disputedChange(),
                sp.events().size() + 1,
                step.eventType(),
                sp.status(),
                amount,
                now.toEpochMilli(),
                p.authorization().merchantId(),
                p.authorization().currency(),
                step.postings(),
                keyOf(caller),
                caller.requestHash(),
                reply.status(),
                reply.body());
        return conn.query(DisputeEventSql.HEAD)
                .execute()
                .map(rows -> SealLink.of(
                        auditKey, DisputeEventSql.CHAIN, rows.iterator().next().getLong(0) + 1))
                .compose(seal -> conn.preparedQuery(DisputeEventSql.WRITE).execute(DisputeEventSql.params(write, seal)))
                .map(reply);
    }

    /** Runs {@code step} unless the caller's key was used before: then its stored answer, or a conflict. */
    private Future<Reply> ifNew(SqlConnection conn, StoredPayment sp, Caller caller, Supplier<Future<Reply>> step) {
        if (sp == null) return Future.succeededFuture(NO_PAYMENT);
        String merchant = sp.payment().authorization().merchantId();
        if (!caller.admin() && !merchant.equals(caller.merchantId())) return Future.succeededFuture(NO_PAYMENT);
        return conn.preparedQuery(STORED)
                .execute(Tuple.of(merchant, keyOf(caller)))
                .compose(rows -> {
                    if (rows.size() == 0) return step.get();
                    Row r = rows.iterator().next();
                    if (!Arrays.equals(r.getBuffer("request_hash").getBytes(), caller.requestHash()))
                        return Future.succeededFuture(Errors.IDEMPOTENCY_CONFLICT);
                    return Future.succeededFuture(new Reply(200, r.getString("response_body"), true, 0));
                });
    }

    private static Future<StoredPayment> payment(SqlConnection conn, String paymentId) {
        return conn.preparedQuery(LOCK_PAYMENT)
                .execute(Tuple.of(paymentId))
                .compose(locked -> locked.size() == 0
                        ? Future.succeededFuture(null)
                        : conn.preparedQuery(READ_PAYMENT)
                                .execute(Tuple.of(paymentId))
                                .map(rows ->
                                        PaymentQueries.toStored(rows.iterator().next())));
    }

    private static PaymentState state(StoredPayment sp) {
        Payment p = sp.payment();
        return new PaymentState(
                sp.status(),
                p.authorization().amount(),
                p.capturedAmount(),
                p.refundedAmount(),
                p.authorization().capture(),
                sp.events().size(),
                sp.disputedAmount());
    }

    private static String keyOf(Caller caller) {
        return caller.admin() ? ADMIN_KEYS + caller.idempotencyKey() : caller.idempotencyKey();
    }

    private static Reply refusal(DisputeLifecycle.Step step) {
        return Errors.reply(409, "invalid_state", step.refusal());
    }

    private static String newDisputeId(Instant now) {
        return "dsp_" + PaymentIds.newPaymentId(now.toEpochMilli()).substring(4);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
