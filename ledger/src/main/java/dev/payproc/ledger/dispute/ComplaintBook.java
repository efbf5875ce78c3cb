package dev.payproc.ledger.dispute;

import dev.payproc.core.model.Errors;
import dev.payproc.core.model.PaymentIds;
import dev.payproc.core.model.Reply;
import dev.payproc.core.port.Disputes.Caller;
import dev.payproc.core.port.Disputes.Complaint;
import dev.payproc.core.port.Disputes.Renderer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

/**
 * Cardholder complaints: recorded by the merchant or by support, listed, and escalated into disputes by the
 * {@link DisputeDesk}. They move no money, so they are not payment events; each creation's answer is stored with its
 * idempotency key (per merchant and recorder) and replayed.
 */
final class ComplaintBook {
    private static final String PAYMENT = "SELECT merchant_id FROM payments WHERE id = $1";
    private static final String INSERT = """
            INSERT INTO complaints (id, payment_id, merchant_id, source, reason, description, status, idempotency_key,
                                    request_hash, response_body, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7, $8, $9, $10)
            ON CONFLICT (merchant_id, source, idempotency_key) DO NOTHING""";
    private static final String STORED = """
            SELECT request_hash, response_body FROM complaints
            WHERE merchant_id = $1 AND source = $2 AND idempotency_key = $3""";

    private static final String LOCK = "SELECT * FROM complaints WHERE id = $1 FOR UPDATE";
    private static final String CLOSE = """
            UPDATE complaints SET status = 'CLOSED', resolution = $2, closed_at = $3, close_idempotency_key = $4,
                                  close_request_hash = $5, close_response_body = $6
            WHERE id = $1 AND status = 'OPEN'""";

    private final Pool pool;
    private final Clock clock;
    private final Renderer renderer;

    ComplaintBook(Pool pool, Clock clock, Renderer renderer) {
        this.pool = pool;
        this.clock = clock;
        this.renderer = renderer;
    }

    Future<Reply> complain(String paymentId, String reason, String description, Caller caller) {
        String source = caller.admin() ? "support" : "merchant";
        return pool.preparedQuery(PAYMENT).execute(Tuple.of(paymentId)).compose(rows -> {
            String merchant = rows.size() == 0 ? null : rows.iterator().next().getString(0);
            if (merchant == null || !caller.admin() && !merchant.equals(caller.merchantId()))
                return Future.succeededFuture(Errors.reply(404, "not_found", "no payment with this id"));
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Complaint c = new Complaint(
                    "cmp_" + PaymentIds.newPaymentId(now.toEpochMilli()).substring(4),
                    paymentId,
                    merchant,
                    source,
                    reason,
                    description,
                    "OPEN",
                    null,
                    now,
                    null,
                    null);
            String body = renderer.complaint(c);
            Tuple insert = Tuple.tuple()
                    .addValue(c.id())
                    .addValue(paymentId)
                    .addValue(merchant)
                    .addValue(source)
                    .addValue(reason)
                    .addValue(description)
                    .addValue(caller.idempotencyKey())
                    .addValue(Buffer.buffer(caller.requestHash()))
                    .addValue(body)
                    .addValue(now.atOffset(ZoneOffset.UTC));
            return pool.preparedQuery(INSERT).execute(insert).compose(inserted -> {
                if (inserted.rowCount() == 1) return Future.succeededFuture(Reply.of(201, body));
                return pool.preparedQuery(STORED)
                        .execute(Tuple.of(merchant, source, caller.idempotencyKey()))
                        .map(stored -> replay(stored.iterator().next(), caller));
            });
        });
    }

    /**
     * Closes an OPEN complaint with its resolution, under the complaint's row lock (an escalation takes it too, so the
     * two apply one after the other). The answer is stored on the row with the closing's key and request hash: a retry
     * with both is answered it again, another body under that key is a conflict, and any other closing of a closed
     * or escalated complaint is refused with the reason.
     */
    Future<Reply> close(String complaintId, String resolution, Caller caller) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK)
                .execute(Tuple.of(complaintId))
                .compose(rows -> {
                    if (rows.size() == 0)
                        return Future.succeededFuture(Errors.reply(404, "not_found", "no complaint with this id"));
                    Row row = rows.iterator().next();
                    if (caller.idempotencyKey().equals(row.getString("close_idempotency_key"))) {
                        if (!Arrays.equals(row.getBuffer("close_request_hash").getBytes(), caller.requestHash()))
                            return Future.succeededFuture(Errors.IDEMPOTENCY_CONFLICT);
                        return Future.succeededFuture(new Reply(200, row.getString("close_response_body"), true, 0));
                    }
                    Complaint c = DisputeRows.complaint(row);
                    String refusal = closingRefused(c);
                    if (refusal != null) return Future.succeededFuture(Errors.reply(409, "invalid_state", refusal));
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    Complaint closed = new Complaint(
                            c.id(),
                            c.paymentId(),
                            c.merchantId(),
                            c.source(),
                            c.reason(),
                            c.description(),
                            "CLOSED",
                            null,
                            c.createdAt(),
                            resolution,
                            now);
                    String body = renderer.complaint(closed);
                    return conn.preparedQuery(CLOSE)
                            .execute(Tuple.of(
                                    c.id(),
                                    resolution,
                                    now.atOffset(ZoneOffset.UTC),
                                    caller.idempotencyKey(),
                                    Buffer.buffer(caller.requestHash()),
                                    body))
                            .map(Reply.of(200, body));
                }));
    }

    /** Why {@code c} cannot be closed, or null when it can (it is OPEN). */
    static String closingRefused(Complaint c) {
        return switch (c.status()) {
            case "OPEN" -> null;
            case "ESCALATED" ->
                "the complaint was escalated into dispute " + c.disputeId()
                        + ": it is settled through the dispute and cannot be closed";
            case "CLOSED" -> "the complaint is already closed";
            default -> "a complaint in status " + c.status() + " cannot be closed";
        };
    }

    Future<List<Complaint>> list(String merchantId, String status, int limit) {
        return pool.preparedQuery(DisputeRows.COMPLAINTS)
                .execute(Tuple.of(merchantId, status, limit))
                .map(DisputeRows::complaints);
    }

    private static Reply replay(Row stored, Caller caller) {
        if (!Arrays.equals(stored.getBuffer("request_hash").getBytes(), caller.requestHash()))
            return Errors.IDEMPOTENCY_CONFLICT;
        return new Reply(200, stored.getString("response_body"), true, 0);
    }
}
