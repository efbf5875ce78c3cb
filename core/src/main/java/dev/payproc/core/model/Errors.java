package dev.payproc.core.model;

/** Builds the contract's error bodies: {@code {"error", "message", "field"?}}. */
public final class Errors {
    /** The one answer to an Idempotency-Key reused with another request, wherever the reuse is found. */
    public static final Reply IDEMPOTENCY_CONFLICT =
            reply(409, "idempotency_conflict", "this Idempotency-Key was already used with a different request");

    private Errors() {}

    public static Reply reply(int status, String error, String message) {
        return Reply.of(status, body(error, message, null));
    }

    /** An answer that asks the client to come back later ({@code Retry-After}); nothing was committed. */
    public static Reply retryLater(int status, String error, String message, int retryAfterSeconds) {
        return new Reply(status, body(error, message, null), false, retryAfterSeconds);
    }

    public static String body(String error, String message, String field) {
        StringBuilder sb = new StringBuilder(64 + message.length());
        sb.append("{\"error\":");
        quote(sb, error);
        sb.append(",\"message\":");
        quote(sb, message);
        if (field != null) {
            sb.append(",\"field\":");
            quote(sb, field);
        }
        return sb.append('}').toString();
    }

    /** Appends {@code s} as a JSON string literal. */
    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
