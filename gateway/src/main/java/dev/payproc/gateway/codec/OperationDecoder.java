package dev.payproc.gateway.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The body of a capture, void or refund: empty, {@code {}}, or {@code {"amount": n}} where the operation
 * takes an amount. A missing amount means "all": the authorized amount, or what remains refundable.
 */
public final class OperationDecoder {

    private OperationDecoder() {}

    /** The requested amount (null for none), or why the body is refused. */
    public static Decoded<Long> amount(byte[] body, boolean takesAmount) {
        if (isBlank(body)) return Decoded.ok(null);
        try (JsonParser p = StrictJson.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Decoded.invalid(null, "the body must be a JSON object");
            Long amount = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (!name.equals("amount") || !takesAmount)
                    return Decoded.invalid(FieldNames.safe(name), "unknown field");
                if (v == JsonToken.VALUE_NULL) continue;
                if (v != JsonToken.VALUE_NUMBER_INT)
                    return Decoded.invalid("amount", "must be an integer amount in minor units");
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || p.getLongValue() > AuthorizationDecoder.MAX_AMOUNT) {
                    return Decoded.invalid("amount", "must be at most " + AuthorizationDecoder.MAX_AMOUNT);
                }
                if (p.getLongValue() <= 0)
                    return Decoded.invalid("amount", "must be a positive integer in minor units");
                amount = p.getLongValue();
            }
            if (p.nextToken() != null) return Decoded.invalid(null, "unexpected content after the JSON object");
            return Decoded.ok(amount);
        } catch (JsonProcessingException e) {
            return StrictJson.malformed(e);
        } catch (IOException e) {
            return Decoded.invalid(null, "unreadable body");
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return false;
        }
        return true;
    }
}
