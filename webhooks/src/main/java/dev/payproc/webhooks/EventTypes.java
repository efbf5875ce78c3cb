package dev.payproc.webhooks;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The event types the feed emits, and an endpoint's subscription to some of them (none listed: all). */
public final class EventTypes {
    /**
     * Every {@code type} of the feed: an authorization's decision, its lifecycle (PaymentLifecycle), and its disputes'
     * steps (DisputeLifecycle).
     */
    public static final List<String> ALL = List.of(
            "AUTHORIZATION",
            "CAPTURE",
            "VOID",
            "REFUND",
            "EXPIRY",
            "DISPUTE_OPENED",
            "DISPUTE_EVIDENCE",
            "DISPUTE_ACCEPTED",
            "DISPUTE_WON",
            "DISPUTE_LOST");

    private EventTypes() {}

    /** The types as stored (sorted, each once), or null when one is not a type of the feed. */
    public static List<String> parse(List<String> types) {
        Set<String> out = new TreeSet<>();
        for (String t : types) {
            if (!ALL.contains(t)) return null;
            out.add(t);
        }
        return List.copyOf(out);
    }

    /** The refusal's sentence. */
    public static String refusal() {
        return "eventTypes must list event types of the feed: " + String.join(", ", ALL) + " (none: all of them)";
    }

    /** Whether an endpoint subscribed to {@code subscribed} gets an event of {@code type}. */
    public static boolean subscribes(List<String> subscribed, String type) {
        return subscribed.isEmpty() || subscribed.contains(type);
    }
}
