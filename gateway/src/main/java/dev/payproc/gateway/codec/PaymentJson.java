package dev.payproc.gateway.codec;

import dev.payproc.core.model.Currencies;
import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Payment;
import dev.payproc.core.model.PaymentEvent;
import dev.payproc.core.model.Reason;
import dev.payproc.core.model.StoredPayment;
import dev.payproc.core.port.Disputes;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Renders payments as the contract's JSON: the authorization answer, and the payment with its events. */
public final class PaymentJson {
    private PaymentJson() {}

    /**
     * The renderings of an authorization's answer, newest first. Since V17 an answer is stored only as its digest
     * and rendered again for a replay after a restart, so a rendering that was ever sent is kept: a replay sends the
     * one whose digest is the stored one, and a payment authorized before a change of rendering is still answered
     * byte for byte as it was.
     */
    public enum AuthorizationRendering {
        /** Issue 18: the amounts also with the currency's exponent, named as in the payment's read. */
        V2_EXPONENT,
        /** Before issue 18: the contract's fields and the fee, ruleSetVersion and createdAt, no exponent. */
        V1;

        public static final AuthorizationRendering CURRENT = V2_EXPONENT;

        public String render(Payment p) {
            StringBuilder sb = open(p, p.status().name());
            if (this == V2_EXPONENT) {
                openDecimals(sb, p).append("\",\"fee\":\"");
                Currencies.appendDecimal(sb, p.feeAmount(), p.authorization().currency())
                        .append("\"}");
            }
            return sb.append('}').toString();
        }

        /** Whether this rendering can render {@code p} at all (one in a currency no longer accepted has no exponent). */
        boolean renders(Payment p) {
            return this == V1 || Currencies.exponent(p.authorization().currency()) >= 0;
        }
    }

    /**
     * {@code ,"exponent":N,"decimal":{"amount":"..","captured":"..","refunded":".."}: the amounts a payment's renderings
     * share in the currency's major units, the decimal object left open (then a closing quote) for the fields after.
     */
    private static StringBuilder openDecimals(StringBuilder sb, Payment p) {
        String currency = p.authorization().currency();
        sb.append(",\"exponent\":").append(Currencies.exponent(currency)).append(",\"decimal\":{\"amount\":\"");
        Currencies.appendDecimal(sb, p.authorization().amount(), currency).append("\",\"captured\":\"");
        Currencies.appendDecimal(sb, p.capturedAmount(), currency).append("\",\"refunded\":\"");
        return Currencies.appendDecimal(sb, p.refundedAmount(), currency);
    }

    /** The body answering an authorization, in the {@link AuthorizationRendering#CURRENT current} rendering. */
    public static String authorization(Payment p) {
        return AuthorizationRendering.CURRENT.render(p);
    }

    /**
     * The answers an authorization may have been sent with, in every rendering that can render it, newest first: for
     * a replay, which sends the one matching the stored digest and never another.
     */
    public static List<String> authorizationRenderings(Payment p) {
        List<String> out = new java.util.ArrayList<>(AuthorizationRendering.values().length);
        for (AuthorizationRendering r : AuthorizationRendering.values()) {
            if (r.renders(p)) out.add(r.render(p));
        }
        return out;
    }

    /**
     * A lifecycle operation's answer: the payment in its current state and every event in order, with its amounts also
     * as decimals of the currency's exponent and what its disputes hold.
     */
    public static String stored(StoredPayment sp) {
        return storedOpen(sp).append('}').toString();
    }

    /** {@code GET /v1/payments/{id}}: as {@link #stored}, and the payment's disputes. */
    public static String stored(StoredPayment sp, List<Disputes.Dispute> disputes) {
        StringBuilder sb = storedOpen(sp).append(",\"disputes\":[");
        for (int i = 0; i < disputes.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(DisputeJson.dispute(disputes.get(i)).encode());
        }
        return sb.append("]}").toString();
    }

    private static StringBuilder storedOpen(StoredPayment sp) {
        Payment p = sp.payment();
        String currency = p.authorization().currency();
        StringBuilder sb = open(p, sp.status()).append(",\"disputedAmount\":").append(sp.disputedAmount());
        openDecimals(sb, p).append("\",\"disputed\":\"");
        Currencies.appendDecimal(sb, sp.disputedAmount(), currency).append("\",\"fee\":\"");
        Currencies.appendDecimal(sb, p.feeAmount(), currency).append("\"},\"events\":[");
        for (int i = 0; i < sp.events().size(); i++) {
            PaymentEvent e = sp.events().get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"seq\":").append(e.seq()).append(",\"type\":");
            Errors.quote(sb, e.type());
            sb.append(",\"status\":");
            Errors.quote(sb, e.status());
            sb.append(",\"amount\":").append(e.amount()).append(",\"createdAt\":\"");
            appendTime(sb, e.createdAt()).append("\"}");
        }
        return sb.append(']');
    }

    /**
     * Appends {@code t} as RFC 3339 UTC with milliseconds, always three digits so that every answer has the same
     * shape (years 0-9999). By hand, as every answer carries one: a {@code DateTimeFormatter} cost 1.5% of the
     * event loops' CPU and 3.6% of their allocation at load.
     */
    /** A decision's reasons as a JSON array of {code, message}: one rendering for answers and feed events. */
    static void appendReasons(StringBuilder sb, List<Reason> reasons) {
        sb.append('[');
        for (int i = 0; i < reasons.size(); i++) {
            Reason r = reasons.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"code\":");
            Errors.quote(sb, r.code());
            sb.append(",\"message\":");
            Errors.quote(sb, r.message());
            sb.append('}');
        }
        sb.append(']');
    }

    static StringBuilder appendTime(StringBuilder sb, Instant t) {
        long seconds = t.getEpochSecond();
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int second = (int) Math.floorMod(seconds, 86_400);
        digits(sb, day.getYear(), 4).append('-');
        digits(sb, day.getMonthValue(), 2).append('-');
        digits(sb, day.getDayOfMonth(), 2).append('T');
        digits(sb, second / 3600, 2).append(':');
        digits(sb, second / 60 % 60, 2).append(':');
        digits(sb, second % 60, 2).append('.');
        return digits(sb, t.getNano() / 1_000_000, 3).append('Z');
    }

    private static final int[] LEADING_UNIT = {1, 1, 10, 100, 1000}; // by width

    /** {@code value} in exactly {@code width} decimal digits, zero-padded. */
    private static StringBuilder digits(StringBuilder sb, int value, int width) {
        for (int unit = LEADING_UNIT[width]; unit > 0; unit /= 10) sb.append((char) ('0' + value / unit % 10));
        return sb;
    }

    private static StringBuilder open(Payment p, String status) {
        var a = p.authorization();
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"id\":\"")
                .append(p.id())
                .append("\",\"status\":\"")
                .append(status)
                .append("\",\"authCode\":");
        if (p.authCode() == null) sb.append("null");
        else sb.append('"').append(p.authCode()).append('"');
        sb.append(",\"riskScore\":").append(p.decision().score()).append(",\"reasons\":");
        appendReasons(sb, p.decision().reasons());
        sb.append(",\"amount\":")
                .append(a.amount())
                .append(",\"currency\":\"")
                .append(a.currency())
                .append("\",\"capturedAmount\":")
                .append(p.capturedAmount())
                .append(",\"refundedAmount\":")
                .append(p.refundedAmount())
                .append(",\"fee\":")
                .append(p.feeAmount())
                .append(",\"card\":{\"token\":\"")
                .append(a.card().token())
                .append("\",\"masked\":\"")
                .append(a.card().masked())
                .append("\",\"expiry\":\"")
                .append(a.card().expiry())
                .append("\"},\"merchantId\":");
        Errors.quote(sb, a.merchantId());
        sb.append(",\"terminalId\":");
        Errors.quote(sb, a.terminalId());
        sb.append(",\"entryMode\":\"")
                .append(a.entryMode())
                .append("\",\"capture\":\"")
                .append(a.capture())
                .append("\",\"ruleSetVersion\":")
                .append(p.decision().ruleSetVersion())
                .append(",\"createdAt\":\"");
        return appendTime(sb, p.createdAt()).append('"');
    }
}
