package dev.payproc.gateway.codec;

import dev.payproc.core.card.Luhn;
import dev.payproc.core.port.Disputes.EvidenceFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bodies of the dispute and complaint routes, decoded from JSON objects: every field checked, unknown fields
 * refused, and no message echoing what was sent (evidence is free text a merchant may paste card data into).
 */
public final class DisputeRequests {
    /** A network reason code: Visa "10.4", Mastercard "4837", or a processor's own. */
    private static final Pattern REASON_CODE = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    private static final Pattern COMPLAINT_REASON = Pattern.compile("[a-z0-9_]{1,64}");
    private static final int MAX_TEXT = 4000;
    private static final int MAX_FILES = 10;
    private static final int MAX_FILE_NAME = 200;
    private static final int MAX_REFERENCE = 500;
    /** A complaint's resolution: a sentence or a few, not a document. */
    public static final int MAX_RESOLUTION = 1000;

    public record Opening(String reasonCode, Long amount, LocalDate dueDate) {}

    public record EvidenceBody(String text, List<EvidenceFile> files) {}

    public record ComplaintBody(String reason, String description) {}

    private DisputeRequests() {}

    /** {@code {"reasonCode", "amount"?, "dueDate"}}: the due date today or later (UTC). */
    public static Decoded<Opening> opening(JsonObject body, LocalDate today) {
        String unknown = unknownField(body, Set.of("reasonCode", "amount", "dueDate"));
        if (unknown != null) return Decoded.invalid(unknown, "unknown field");
        Object code = body.getValue("reasonCode");
        if (code == null) return Decoded.invalid("reasonCode", "is required");
        if (!(code instanceof String c) || !REASON_CODE.matcher(c).matches())
            return Decoded.invalid(
                    "reasonCode", "must be 1-32 characters of A-Z a-z 0-9 . _ - (a network reason code)");
        Decoded<Long> amount = amount(body.getValue("amount"));
        if (!amount.isValid())
            return Decoded.invalid(amount.invalid().field(), amount.invalid().message());
        Object due = body.getValue("dueDate");
        if (due == null) return Decoded.invalid("dueDate", "is required (YYYY-MM-DD)");
        LocalDate dueDate;
        try {
            dueDate = due instanceof String d ? LocalDate.parse(d) : null;
        } catch (DateTimeParseException e) {
            dueDate = null;
        }
        if (dueDate == null) return Decoded.invalid("dueDate", "must be a date, YYYY-MM-DD");
        if (dueDate.isBefore(today)) return Decoded.invalid("dueDate", "must not be in the past (UTC)");
        return Decoded.ok(new Opening((String) code, amount.value(), dueDate));
    }

    /** {@code {"outcome": "won" | "lost"}}: true for won. */
    public static Decoded<Boolean> outcome(JsonObject body) {
        String unknown = unknownField(body, Set.of("outcome"));
        if (unknown != null) return Decoded.invalid(unknown, "unknown field");
        Object outcome = body.getValue("outcome");
        if ("won".equals(outcome)) return Decoded.ok(true);
        if ("lost".equals(outcome)) return Decoded.ok(false);
        return Decoded.invalid("outcome", "must be \"won\" or \"lost\"");
    }

    /** {@code {"text"?, "files"?: [{"name", "reference"}]}}: at least one of them, each bounded. */
    public static Decoded<EvidenceBody> evidence(JsonObject body) {
        String unknown = unknownField(body, Set.of("text", "files"));
        if (unknown != null) return Decoded.invalid(unknown, "unknown field");
        Object text = body.getValue("text");
        if (text != null && !(text instanceof String)) return Decoded.invalid("text", "must be a string");
        if (text != null && ((String) text).length() > MAX_TEXT)
            return Decoded.invalid("text", "must be at most " + MAX_TEXT + " characters");
        if (text != null && !withoutCardNumber((String) text, "text").isValid())
            return Decoded.invalid("text", "must not contain a card number");
        Object files = body.getValue("files");
        if (files != null && !(files instanceof JsonArray)) return Decoded.invalid("files", "must be an array");
        List<EvidenceFile> out = new ArrayList<>();
        if (files != null) {
            JsonArray array = (JsonArray) files;
            if (array.size() > MAX_FILES) return Decoded.invalid("files", "must list at most " + MAX_FILES + " files");
            for (int i = 0; i < array.size(); i++) {
                String path = "files[" + i + "]";
                if (!(array.getValue(i) instanceof JsonObject f))
                    return Decoded.invalid(path, "must be an object {name, reference}");
                String unknownInFile = unknownField(f, Set.of("name", "reference"));
                if (unknownInFile != null) return Decoded.invalid(path + "." + unknownInFile, "unknown field");
                Decoded<String> name = boundedText(f.getValue("name"), path + ".name", MAX_FILE_NAME);
                if (!name.isValid())
                    return Decoded.invalid(
                            name.invalid().field(), name.invalid().message());
                Decoded<String> ref = boundedText(f.getValue("reference"), path + ".reference", MAX_REFERENCE);
                if (!ref.isValid())
                    return Decoded.invalid(ref.invalid().field(), ref.invalid().message());
                out.add(new EvidenceFile(name.value(), ref.value()));
            }
        }
        if ((text == null || ((String) text).isBlank()) && out.isEmpty())
            return Decoded.invalid("text", "evidence needs a text or at least one file");
        return Decoded.ok(new EvidenceBody(text == null ? "" : (String) text, out));
    }

    /** {@code {"reason", "description"?}}: a reason such as {@code not_received}, and the cardholder's words. */
    public static Decoded<ComplaintBody> complaint(JsonObject body) {
        String unknown = unknownField(body, Set.of("reason", "description"));
        if (unknown != null) return Decoded.invalid(unknown, "unknown field");
        Object reason = body.getValue("reason");
        if (!(reason instanceof String r) || !COMPLAINT_REASON.matcher(r).matches())
            return Decoded.invalid("reason", "must be 1-64 characters of a-z 0-9 _ (such as not_received)");
        Object description = body.getValue("description");
        if (description != null && !(description instanceof String))
            return Decoded.invalid("description", "must be a string");
        if (description != null && ((String) description).length() > MAX_TEXT)
            return Decoded.invalid("description", "must be at most " + MAX_TEXT + " characters");
        if (description != null
                && !withoutCardNumber((String) description, "description").isValid())
            return Decoded.invalid("description", "must not contain a card number");
        return Decoded.ok(new ComplaintBody(r, description == null ? "" : (String) description));
    }

    /** {@code {"resolution"}}: how support settled a complaint, 1-1000 characters, not blank, no card number. */
    public static Decoded<String> closing(JsonObject body) {
        String unknown = unknownField(body, Set.of("resolution"));
        if (unknown != null) return Decoded.invalid(unknown, "unknown field");
        Object resolution = body.getValue("resolution");
        if (resolution == null) return Decoded.invalid("resolution", "is required (a sentence)");
        if (!(resolution instanceof String r)) return Decoded.invalid("resolution", "must be a string");
        if (r.isBlank()) return Decoded.invalid("resolution", "must not be blank");
        if (r.length() > MAX_RESOLUTION)
            return Decoded.invalid("resolution", "must be at most " + MAX_RESOLUTION + " characters");
        return withoutCardNumber(r, "resolution");
    }

    /** An optional positive amount in minor units, at most the authorization's maximum. */
    private static Decoded<Long> amount(Object value) {
        if (value == null) return Decoded.ok(null);
        if (!(value instanceof Integer || value instanceof Long))
            return Decoded.invalid("amount", "must be an integer amount in minor units");
        long amount = ((Number) value).longValue();
        if (amount <= 0) return Decoded.invalid("amount", "must be a positive integer in minor units");
        if (amount > AuthorizationDecoder.MAX_AMOUNT)
            return Decoded.invalid("amount", "must be at most " + AuthorizationDecoder.MAX_AMOUNT);
        return Decoded.ok(amount);
    }

    private static Decoded<String> boundedText(Object value, String field, int max) {
        if (!(value instanceof String s) || s.isEmpty()) return Decoded.invalid(field, "is required, a string");
        if (s.length() > max) return Decoded.invalid(field, "must be at most " + max + " characters");
        return withoutCardNumber(s, field);
    }

    /**
     * Free text refused when it holds what looks like a card number (a run of 12-19 digits, single spaces or dashes
     * between them, that passes Luhn): evidence and complaints are stored as given, and a pasted PAN must not be.
     */
    private static Decoded<String> withoutCardNumber(String text, String field) {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (!((c == ' ' || c == '-') && digits.length() > 0)) {
                if (digits.length() >= 12 && digits.length() <= 19 && Luhn.isValid(digits))
                    return Decoded.invalid(field, "must not contain a card number");
                digits.setLength(0);
            }
        }
        return Decoded.ok(text);
    }

    private static String unknownField(JsonObject body, Set<String> known) {
        for (String name : body.fieldNames()) if (!known.contains(name)) return FieldNames.safe(name);
        return null;
    }
}
