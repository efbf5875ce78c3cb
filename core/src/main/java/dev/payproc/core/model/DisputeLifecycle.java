package dev.payproc.core.model;

import java.time.LocalDate;
import java.util.List;

/**
 * The dispute state machine: which step is legal in which state, the event it records on the payment and the
 * balanced postings it writes. Pure, like {@link PaymentLifecycle}; the dispute desk runs it under the payment's row
 * lock.
 * <pre>
 * (captured money left) --open--> OPEN --evidence--> EVIDENCE_SUBMITTED
 * OPEN | EVIDENCE_SUBMITTED --accept (merchant)--> ACCEPTED      --won--> WON      --lost--> LOST
 * open:          D merchant_payable  / C dispute
 * won:           D dispute           / C merchant_payable
 * lost, accept:  D dispute           / C cardholder_funding  (+ the dispute fee: D merchant_payable / C fee_income)
 * </pre>
 */
public final class DisputeLifecycle {
    /**
     * One step's outcome: the dispute's new status, the payment event's type and the postings, the change to the
     * payment's disputed amount and the fee charged; or why it is refused.
     */
    public record Step(
            DisputeStatus status,
            String eventType,
            List<Posting> postings,
            long disputedChange,
            long fee,
            String refusal) {
        public boolean refused() {
            return refusal != null;
        }
    }

    private DisputeLifecycle() {}

    /** A network's notice of a dispute of {@code amount} of the payment's captured money. */
    public static Step open(PaymentState payment, long amount) {
        boolean captured = payment.capturedAmount() > 0
                && switch (payment.status()) {
                    case "APPROVED", "REVIEW", "CAPTURED", "PARTIALLY_REFUNDED" -> true;
                    default -> false;
                };
        if (!captured) return refuse("a " + payment.status() + " payment has no captured money to dispute");
        long remaining = payment.undisputedRemainder();
        if (remaining == 0) {
            return refuse("nothing of the captured " + payment.capturedAmount() + " remains to dispute ("
                    + payment.refundedAmount() + " refunded, " + payment.disputedAmount() + " already disputed)");
        }
        if (amount > remaining) {
            return refuse("cannot dispute " + amount + ": only " + remaining + " of the captured "
                    + payment.capturedAmount() + " remains (" + payment.refundedAmount() + " refunded, "
                    + payment.disputedAmount() + " already disputed)");
        }
        return new Step(
                DisputeStatus.OPEN,
                "DISPUTE_OPENED",
                List.of(new Posting(Posting.MERCHANT_PAYABLE, 'D', amount), new Posting(Posting.DISPUTE, 'C', amount)),
                amount,
                0,
                null);
    }

    /** The merchant's evidence, once, while the dispute is open and not past its due date. */
    public static Step evidence(DisputeStatus status, LocalDate due, LocalDate today) {
        if (status == DisputeStatus.EVIDENCE_SUBMITTED)
            return refuse("evidence was already submitted for this dispute");
        if (status == DisputeStatus.ACCEPTED)
            return refuse("the merchant accepted this dispute: evidence can no longer be submitted");
        if (!status.pending())
            return refuse("the dispute is already " + status + ": evidence can no longer be submitted");
        if (today.isAfter(due)) return refuse("the evidence was due by " + due + " and that day has passed");
        return new Step(DisputeStatus.EVIDENCE_SUBMITTED, "DISPUTE_EVIDENCE", List.of(), 0, 0, null);
    }

    /** The merchant concedes: the money goes back to the cardholder, as if lost. */
    public static Step accept(DisputeStatus status, long amount, long fee) {
        if (status == DisputeStatus.ACCEPTED) return refuse("the dispute is already accepted");
        if (!status.pending()) return refuse("the dispute is already " + status + " and cannot be accepted");
        return new Step(DisputeStatus.ACCEPTED, "DISPUTE_ACCEPTED", lostPostings(amount, fee), 0, fee, null);
    }

    /** The network's outcome: won returns the money to the merchant, lost to the cardholder (with the fee). */
    public static Step decide(DisputeStatus status, boolean won, long amount, long fee) {
        if (status == DisputeStatus.ACCEPTED)
            return refuse("the merchant accepted this dispute: it is settled as lost and takes no outcome");
        if (!status.pending()) return refuse("the dispute already has its outcome: " + status);
        if (won) {
            return new Step(
                    DisputeStatus.WON,
                    "DISPUTE_WON",
                    List.of(
                            new Posting(Posting.DISPUTE, 'D', amount),
                            new Posting(Posting.MERCHANT_PAYABLE, 'C', amount)),
                    -amount,
                    0,
                    null);
        }
        return new Step(DisputeStatus.LOST, "DISPUTE_LOST", lostPostings(amount, fee), 0, fee, null);
    }

    private static List<Posting> lostPostings(long amount, long fee) {
        Posting out = new Posting(Posting.DISPUTE, 'D', amount);
        Posting back = new Posting(Posting.CARDHOLDER_FUNDING, 'C', amount);
        if (fee == 0) return List.of(out, back);
        return List.of(
                out, back, new Posting(Posting.MERCHANT_PAYABLE, 'D', fee), new Posting(Posting.FEE_INCOME, 'C', fee));
    }

    private static Step refuse(String why) {
        return new Step(null, null, List.of(), 0, 0, why);
    }
}
