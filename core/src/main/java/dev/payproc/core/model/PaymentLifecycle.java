package dev.payproc.core.model;

import java.time.Instant;
import java.util.List;

/**
 * The payment state machine: which operation is legal in which state, what it changes and which balanced
 * postings it writes. Pure, so it is tested exhaustively without a database; the settlement writer runs it
 * under the payment's row lock so that racing operations (also from other processes) apply one at a time.
 * <pre>
 * APPROVED|REVIEW (MANUAL, uncaptured) --capture--> CAPTURED     --void--> VOIDED    --expire--> EXPIRED
 * APPROVED|REVIEW (sale) | CAPTURED | PARTIALLY_REFUNDED --refund--> PARTIALLY_REFUNDED | REFUNDED
 * </pre>
 */
public final class PaymentLifecycle {
    /** The outcome of one operation: the new state and what to record, or why it is refused. */
    public record Outcome(PaymentState state, PaymentEvent event, List<Posting> postings, String refusal) {
        public boolean refused() {
            return refusal != null;
        }
    }

    private PaymentLifecycle() {}

    public static Outcome apply(PaymentState s, Operation op, Long requested, Instant at) {
        return apply(s, op, requested, at, FeeSchedule.NONE, null, null);
    }

    /** As above; a capture charges the merchant's fee, credited to fee income instead of the merchant. */
    public static Outcome apply(
            PaymentState s,
            Operation op,
            Long requested,
            Instant at,
            FeeSchedule fees,
            String merchantId,
            String currency) {
        return switch (op) {
            case CAPTURE -> capture(s, requested, at, fees, merchantId, currency);
            case VOID -> voidAuthorization(s, at);
            case REFUND -> refund(s, requested, at);
            case EXPIRE -> expire(s, at);
        };
    }

    private static boolean authorized(PaymentState s) {
        return s.status().equals("APPROVED") || s.status().equals("REVIEW");
    }

    private static Outcome capture(
            PaymentState s, Long requested, Instant at, FeeSchedule fees, String merchantId, String currency) {
        if (!authorized(s)) return refuse("a " + s.status() + " payment cannot be captured");
        if (s.captureMode() != CaptureMode.MANUAL || s.capturedAmount() > 0)
            return refuse("the payment is already captured");
        long amount = requested == null ? s.amount() : requested;
        if (amount > s.amount()) return refuse("cannot capture " + amount + ": the authorized amount is " + s.amount());
        PaymentState next = new PaymentState("CAPTURED", s.amount(), amount, 0, s.captureMode(), s.lastEventSeq() + 1);
        return new Outcome(
                next,
                new PaymentEvent(next.lastEventSeq(), "CAPTURE", "CAPTURED", amount, at),
                capturePostings(amount, fees.feeFor(merchantId, currency, amount)),
                null);
    }

    /** Money captured: the cardholder pays it all, the merchant is owed it less the fee, the fee is income. */
    public static List<Posting> capturePostings(long amount, long fee) {
        if (fee == 0)
            return List.of(
                    new Posting(Posting.CARDHOLDER_FUNDING, 'D', amount),
                    new Posting(Posting.MERCHANT_PAYABLE, 'C', amount));
        if (fee == amount)
            return List.of(
                    new Posting(Posting.CARDHOLDER_FUNDING, 'D', amount), new Posting(Posting.FEE_INCOME, 'C', fee));
        return List.of(
                new Posting(Posting.CARDHOLDER_FUNDING, 'D', amount),
                new Posting(Posting.MERCHANT_PAYABLE, 'C', amount - fee),
                new Posting(Posting.FEE_INCOME, 'C', fee));
    }

    private static Outcome voidAuthorization(PaymentState s, Instant at) {
        if (!authorized(s)) return refuse("a " + s.status() + " payment cannot be voided");
        if (s.capturedAmount() > 0) return refuse("a captured payment cannot be voided; refund it instead");
        PaymentState next = new PaymentState("VOIDED", s.amount(), 0, 0, s.captureMode(), s.lastEventSeq() + 1);
        // No money moved for an uncaptured authorization, so releasing it posts nothing.
        return new Outcome(
                next, new PaymentEvent(next.lastEventSeq(), "VOID", "VOIDED", s.amount(), at), List.of(), null);
    }

    /** As card networks do: an authorization not captured in time is released, like a void by the processor. */
    private static Outcome expire(PaymentState s, Instant at) {
        if (!authorized(s) || s.captureMode() != CaptureMode.MANUAL || s.capturedAmount() > 0) {
            return refuse("only an uncaptured authorization can expire, this payment is " + s.status());
        }
        PaymentState next = new PaymentState("EXPIRED", s.amount(), 0, 0, s.captureMode(), s.lastEventSeq() + 1);
        return new Outcome(
                next, new PaymentEvent(next.lastEventSeq(), "EXPIRY", "EXPIRED", s.amount(), at), List.of(), null);
    }

    private static Outcome refund(PaymentState s, Long requested, Instant at) {
        boolean refundable = s.capturedAmount() > 0
                && (authorized(s) || s.status().equals("CAPTURED") || s.status().equals("PARTIALLY_REFUNDED"));
        if (!refundable) return refuse("a " + s.status() + " payment without captured money cannot be refunded");
        long remaining = s.undisputedRemainder();
        long amount = requested == null ? remaining : requested;
        if (remaining == 0 && s.disputedAmount() > 0) {
            return refuse("nothing is left to refund: of the captured " + s.capturedAmount() + ", " + s.refundedAmount()
                    + " is refunded and " + s.disputedAmount() + " is held by disputes");
        }
        if (amount > remaining) {
            return refuse("cannot refund " + amount + ": only " + remaining + " of the captured " + s.capturedAmount()
                    + " remains" + (s.disputedAmount() > 0 ? " (" + s.disputedAmount() + " is held by disputes)" : ""));
        }
        long refunded = s.refundedAmount() + amount;
        String status = refunded == s.capturedAmount() ? "REFUNDED" : "PARTIALLY_REFUNDED";
        PaymentState next = new PaymentState(
                status,
                s.amount(),
                s.capturedAmount(),
                refunded,
                s.captureMode(),
                s.lastEventSeq() + 1,
                s.disputedAmount());
        return new Outcome(
                next,
                new PaymentEvent(next.lastEventSeq(), "REFUND", status, amount, at),
                List.of(
                        new Posting(Posting.MERCHANT_PAYABLE, 'D', amount),
                        new Posting(Posting.CARDHOLDER_FUNDING, 'C', amount)),
                null);
    }

    private static Outcome refuse(String why) {
        return new Outcome(null, null, List.of(), why);
    }
}
