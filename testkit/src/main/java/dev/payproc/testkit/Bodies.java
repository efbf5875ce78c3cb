package dev.payproc.testkit;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/** Authorization bodies for tests: valid by default, changed field by field. */
public final class Bodies {
    /** Well-known test PANs (Luhn-valid, not real cards). */
    public static final String VISA = "4111111111111111";

    public static final String MASTERCARD = "5555555555554444";
    /** The merchant test processors provision. */
    public static final String MERCHANT = "m-1001";

    private static final AtomicLong SEQ = new AtomicLong(400000000000000L);

    private Bodies() {}

    public static JsonObject valid() {
        return valid(VISA);
    }

    /** Terminals rotate, as a merchant's fleet would, so no test trips the per-terminal velocity limit. */
    public static JsonObject valid(String pan) {
        return new JsonObject()
                .put("merchantId", MERCHANT)
                .put("terminalId", "t-" + SEQ.get() % 1000)
                .put("amount", 1250)
                .put("currency", "EUR")
                .put("card", new JsonObject().put("pan", pan).put("expiry", "12/30"))
                .put("entryMode", "CONTACTLESS")
                .put("mcc", "5411")
                .put("merchantCountry", "DE")
                .put("cardholderVerification", "NONE")
                .put("capture", "AUTO");
    }

    /** A Luhn-valid 16-digit PAN not used by any other test, so velocity state never spills between tests. */
    public static String freshPan() {
        String body = Long.toString(SEQ.incrementAndGet());
        return body + luhnDigit(body);
    }

    /** {@code body} with its Luhn check digit appended: a valid PAN of any prefix. */
    public static String withCheckDigit(String body) {
        return body + luhnDigit(body);
    }

    static int luhnDigit(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int d = body.charAt(body.length() - 1 - i) - '0';
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }
}
