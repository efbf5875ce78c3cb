package dev.payproc.gateway.codec;

import dev.payproc.core.model.Currencies;
import dev.payproc.core.model.Errors;
import dev.payproc.core.port.EventFeed;

/** Renders a page of the event feed: each event from what never changes, so a page read again is byte-identical. */
public final class FeedJson {
    private FeedJson() {}

    /** {@code {"events": [...], "next": cursor, "head": newest, "more": bool}}; {@code next} is the cursor to go on from. */
    public static String page(EventFeed.Page page, long after) {
        StringBuilder sb = new StringBuilder(96 + 360 * page.events().size()).append("{\"events\":[");
        long next = after;
        for (int i = 0; i < page.events().size(); i++) {
            if (i > 0) sb.append(',');
            event(sb, page.events().get(i));
            next = page.events().get(i).seq();
        }
        return sb.append("],\"next\":")
                .append(next)
                .append(",\"head\":")
                .append(page.head())
                .append(",\"more\":")
                .append(next < page.head())
                .append('}')
                .toString();
    }

    /** One event exactly as a page renders it: a webhook's body, so a receiver and a feed reader see the same bytes. */
    public static String event(EventFeed.FeedEvent e) {
        StringBuilder sb = new StringBuilder(360);
        event(sb, e);
        return sb.toString();
    }

    static void event(StringBuilder sb, EventFeed.FeedEvent e) {
        sb.append("{\"seq\":").append(e.seq()).append(",\"type\":");
        Errors.quote(sb, e.type());
        sb.append(",\"paymentId\":");
        Errors.quote(sb, e.paymentId());
        sb.append(",\"eventSeq\":").append(e.eventSeq()).append(",\"status\":");
        Errors.quote(sb, e.status());
        sb.append(",\"amount\":").append(e.amount()).append(",\"currency\":");
        Errors.quote(sb, e.currency());
        sb.append(",\"paymentAmount\":").append(e.paymentAmount());
        int exponent = Currencies.exponent(e.currency());
        if (exponent >= 0) { // the amounts as a person reads them (issue 18); an event of a withdrawn code has none
            sb.append(",\"exponent\":").append(exponent).append(",\"decimal\":{\"amount\":\"");
            Currencies.appendDecimal(sb, e.amount(), e.currency()).append("\",\"paymentAmount\":\"");
            Currencies.appendDecimal(sb, e.paymentAmount(), e.currency()).append("\"}");
        }
        sb.append(",\"capture\":");
        Errors.quote(sb, e.capture());
        sb.append(",\"terminalId\":");
        Errors.quote(sb, e.terminalId());
        sb.append(",\"reasons\":");
        PaymentJson.appendReasons(sb, e.reasons());
        sb.append(",\"createdAt\":\"");
        PaymentJson.appendTime(sb, e.createdAt()).append("\"}");
    }
}
