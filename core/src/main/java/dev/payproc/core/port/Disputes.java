package dev.payproc.core.port;

import dev.payproc.core.model.DisputeStatus;
import dev.payproc.core.model.Reply;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Disputes (chargebacks) and cardholder complaints. Every step that moves money or changes a dispute is an event of
 * the payment, sealed with its postings, and answers a {@link Reply}: rendered by the {@link Renderer} the desk was
 * given, stored under the request's idempotency key and replayed for a retry; {@code 404} for an unknown (or another
 * merchant's) payment or dispute, {@code 409 invalid_state} with the reason for an illegal step.
 */
public interface Disputes {
    record EvidenceFile(String name, String reference) {}

    record Evidence(String text, List<EvidenceFile> files, Instant submittedAt) {}

    record Dispute(
            String id,
            String paymentId,
            String merchantId,
            String reasonCode,
            long amount,
            String currency,
            DisputeStatus status,
            LocalDate dueDate,
            Evidence evidence,
            long fee,
            String complaintId,
            Instant openedAt,
            Instant closedAt) {}

    record Complaint(
            String id,
            String paymentId,
            String merchantId,
            String source,
            String reason,
            String description,
            String status,
            String disputeId,
            Instant createdAt,
            String resolution,
            Instant closedAt) {}

    /**
     * Who asks and under which idempotency key: a merchant ({@code merchantId}, its own key space), or an admin key
     * ({@code merchantId} null: the key space of admin requests on the payment's merchant).
     */
    record Caller(String merchantId, String idempotencyKey, byte[] requestHash) {
        public boolean admin() {
            return merchantId == null;
        }
    }

    /** The answers' bodies: the gateway's JSON. */
    interface Renderer {
        String dispute(Dispute d);

        String complaint(Complaint c);
    }

    /** Admin: a network's dispute notice for {@code amount} (null: all that remains) of a captured payment. */
    Future<Reply> open(String paymentId, String reasonCode, Long amount, LocalDate dueDate, Caller caller);

    /** Admin: a complaint escalated into a dispute (as {@link #open}), and marked ESCALATED with it. */
    Future<Reply> escalate(String complaintId, String reasonCode, Long amount, LocalDate dueDate, Caller caller);

    /** Merchant: its evidence, once, by the due date. */
    Future<Reply> submitEvidence(String disputeId, String text, List<EvidenceFile> files, Caller caller);

    /** Merchant: concedes the dispute. */
    Future<Reply> accept(String disputeId, Caller caller);

    /** Admin: the network's outcome. */
    Future<Reply> decide(String disputeId, boolean won, Caller caller);

    /** One dispute, if it exists and (for a merchant, non-null {@code merchantId}) is that merchant's; else null. */
    Future<Dispute> find(String disputeId, String merchantId);

    /** Newest first, a merchant's (or every merchant's for null), of one status (or all for null). */
    Future<List<Dispute>> list(String merchantId, DisputeStatus status, int limit);

    /** The undecided disputes (OPEN or EVIDENCE_SUBMITTED) of one currency: how many, and the amount they hold. */
    record OpenTotal(String currency, long count, long amount) {}

    /** Every merchant's undecided disputes per currency, by currency code: what the SRE console shows. */
    Future<List<OpenTotal>> openTotals();

    /** A payment's disputes, oldest first. */
    Future<List<Dispute>> ofPayment(String paymentId);

    /** A complaint recorded by the merchant ({@code caller.merchantId}) or by support (an admin caller). */
    Future<Reply> complain(String paymentId, String reason, String description, Caller caller);

    /**
     * Admin (support): an OPEN complaint closed with its {@code resolution}; an escalated or closed one is {@code 409
     * invalid_state}. A retry under the closing's idempotency key answers the stored answer.
     */
    Future<Reply> closeComplaint(String complaintId, String resolution, Caller caller);

    /** Newest first, a merchant's (or every merchant's for null), of one status (or all for null). */
    Future<List<Complaint>> complaints(String merchantId, String status, int limit);
}
