package dev.payproc.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestsTest {
    private final Requests requests = new Requests("m-1001");

    /** The body as it was built with string formatting before the byte template: a retry must resend it exactly. */
    private static String reference(String merchantId, int phase, long i) {
        String pan = "4" + phase % 10 + String.format("%013d", i);
        int sum = 0;
        for (int pos = 0; pos < 15; pos++) {
            int d = pan.charAt(14 - pos) - '0';
            if (pos % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        pan += (10 - sum % 10) % 10;
        return "{\"merchantId\":\"" + merchantId + "\",\"terminalId\":\"t-" + i % 20_000
                + "\",\"amount\":" + (100 + i * 7919 % 39_900) + ",\"currency\":\"EUR\",\"card\":{\"pan\":\"" + pan
                + "\",\"expiry\":\"12/" + (Year.now(ZoneOffset.UTC).getValue() + 3) % 100
                + "\"},\"entryMode\":\"CHIP\","
                + "\"mcc\":\"5411\",\"merchantCountry\":\"DE\",\"cardholderVerification\":\"PIN\",\"capture\":\"AUTO\"}";
    }

    @Test
    void bodiesAreTheFormattedOnesByteForByte() {
        for (long i : new long[] {
            0, 1, 9, 10, 99, 100, 19_999, 20_000, 39_899, 39_900, 123_456, 1_000_000_000L, 2_000_000_123L
        }) {
            for (int phase : new int[] {0, 6, 12}) {
                assertEquals(
                        reference("m-1001", phase, i),
                        requests.body(Requests.key(phase, i)),
                        "phase " + phase + " i " + i);
            }
        }
    }

    @Test
    void bodiesAreJsonWithAValidUniqueCard() {
        Set<String> pans = new HashSet<>();
        for (long i = 0; i < 5_000; i++) {
            JsonObject body = new JsonObject(requests.body(Requests.key(6, i)));
            String pan = body.getJsonObject("card").getString("pan");
            assertTrue(luhn(pan), pan);
            assertTrue(pans.add(pan), "two requests with card " + pan);
            assertEquals("m-1001", body.getString("merchantId"));
            assertTrue(body.getLong("amount") >= 100 && body.getLong("amount") < 40_000);
        }
    }

    private static boolean luhn(String pan) {
        int sum = 0;
        for (int pos = 0; pos < pan.length(); pos++) {
            int d = pan.charAt(pan.length() - 1 - pos) - '0';
            if (pos % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return pan.length() == 16 && sum % 10 == 0;
    }
}
