package dev.payproc.gateway.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes {@code {"items": [ {"idempotencyKey", ...authorization} ]}}. A bad item does not spoil the batch:
 * it is skipped to its end and reported in its own slot ({@code items[3].amount}); only a bad envelope
 * (not an object, no items, more than {@link #MAX_ITEMS}) refuses the whole batch.
 */
public final class BatchDecoder {
    public static final int MAX_ITEMS = 1000;

    /** One item: its key (null when missing) and the decoded authorization or why it is invalid. */
    public record Item(String idempotencyKey, Decoded<AuthorizationRequest> request) {}

    private BatchDecoder() {}

    public static Decoded<List<Item>> decode(byte[] body, YearMonth currentMonth) {
        try (JsonParser p = StrictJson.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Decoded.invalid(null, "the body must be a JSON object");
            List<Item> items = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (!name.equals("items")) return Decoded.invalid(FieldNames.safe(name), "unknown field");
                if (v != JsonToken.START_ARRAY)
                    return Decoded.invalid("items", "must be an array of 1 to " + MAX_ITEMS + " authorizations");
                items = readItems(p, currentMonth);
                if (items == null)
                    return Decoded.invalid("items", "must hold at most " + MAX_ITEMS + " authorizations");
            }
            if (p.nextToken() != null) return Decoded.invalid(null, "unexpected content after the JSON object");
            if (items == null || items.isEmpty())
                return Decoded.invalid("items", "must hold 1 to " + MAX_ITEMS + " authorizations");
            return Decoded.ok(items);
        } catch (JsonProcessingException e) {
            return StrictJson.malformed(e);
        } catch (IOException e) {
            return Decoded.invalid(null, "unreadable body");
        }
    }

    /** Reads the array (the parser is on START_ARRAY); null when it holds too many items. */
    private static List<Item> readItems(JsonParser p, YearMonth month) throws IOException {
        JsonStreamContext array = p.getParsingContext();
        List<Item> items = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (items.size() == MAX_ITEMS) return null;
            String path = "items[" + items.size() + "].";
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                items.add(new Item(null, Decoded.invalid("items[" + items.size() + "]", "must be an object")));
                continue;
            }
            String[] key = new String[1];
            Decoded<AuthorizationRequest> request = AuthorizationDecoder.readAuthorization(p, path, month, key);
            while (p.getParsingContext() != array) { // an invalid item stops early: skip what is left of it
                if (p.nextToken().isStructStart()) p.skipChildren();
            }
            if (request.isValid() && key[0] == null) request = Decoded.invalid(path + "idempotencyKey", "is required");
            if (request.isValid() && !StrictJson.isIdempotencyKey(key[0])) {
                request = Decoded.invalid(path + "idempotencyKey", "must be 1-64 characters of [A-Za-z0-9_-]");
            }
            items.add(new Item(key[0], request));
        }
        return items;
    }
}
