package dev.payproc.gateway.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The webhook bodies, decoded as strictly as a payment's: {@code {"merchantId", "url", "eventTypes"?}} to register,
 * {@code {"after"}} to replay. Unknown fields, duplicates and wrong types are refused naming the field; what the
 * values may be (URL rules, the feed's event types, the head) is the store's and the handler's to check.
 */
public final class WebhookDecoder {
    private static final int MAX_EVENT_TYPES = 16;

    /** A registration as sent; {@code eventTypes} empty when absent. */
    public record Registration(String merchantId, String url, List<String> eventTypes) {}

    private WebhookDecoder() {}

    public static Decoded<Registration> registration(byte[] body) {
        try (JsonParser p = StrictJson.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Decoded.invalid(null, "the body must be a JSON object");
            String merchantId = null;
            String url = null;
            List<String> types = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "merchantId" -> {
                        if (v != JsonToken.VALUE_STRING) return Decoded.invalid(name, "must be a string");
                        merchantId = p.getText();
                    }
                    case "url" -> {
                        if (v != JsonToken.VALUE_STRING) return Decoded.invalid(name, "must be a string");
                        url = p.getText();
                    }
                    case "eventTypes" -> {
                        if (v != JsonToken.START_ARRAY) return Decoded.invalid(name, "must be an array of event types");
                        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                            if (e != JsonToken.VALUE_STRING || types.size() == MAX_EVENT_TYPES)
                                return Decoded.invalid(name, "must be an array of at most 16 event type strings");
                            types.add(p.getText());
                        }
                    }
                    default -> {
                        return Decoded.invalid(FieldNames.safe(name), "unknown field");
                    }
                }
            }
            if (p.nextToken() != null) return Decoded.invalid(null, "unexpected content after the JSON object");
            if (merchantId == null) return Decoded.invalid("merchantId", "is required");
            if (url == null) return Decoded.invalid("url", "is required");
            return Decoded.ok(new Registration(merchantId, url, types));
        } catch (JsonProcessingException e) {
            return StrictJson.malformed(e);
        } catch (IOException e) {
            return Decoded.invalid(null, "unreadable body");
        }
    }

    /** The sequence to replay after: a whole number of 0 or more. */
    public static Decoded<Long> replay(byte[] body) {
        try (JsonParser p = StrictJson.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Decoded.invalid(null, "the body must be a JSON object");
            Long after = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (!name.equals("after")) return Decoded.invalid(FieldNames.safe(name), "unknown field");
                if (v != JsonToken.VALUE_NUMBER_INT
                        || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || p.getLongValue() < 0) {
                    return Decoded.invalid("after", "must be a feed sequence: a whole number of 0 or more");
                }
                after = p.getLongValue();
            }
            if (p.nextToken() != null) return Decoded.invalid(null, "unexpected content after the JSON object");
            if (after == null) return Decoded.invalid("after", "is required");
            return Decoded.ok(after);
        } catch (JsonProcessingException e) {
            return StrictJson.malformed(e);
        } catch (IOException e) {
            return Decoded.invalid(null, "unreadable body");
        }
    }
}
