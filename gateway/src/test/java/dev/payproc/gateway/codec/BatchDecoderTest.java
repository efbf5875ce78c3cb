package dev.payproc.gateway.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchDecoderTest {
    private static final String ITEM = """
            {"idempotencyKey":"K","merchantId":"m-1","terminalId":"t-1","amount":100,"currency":"EUR",
             "card":{"pan":"4111111111111111","expiry":"12/29"},"entryMode":"CHIP","mcc":"5411","merchantCountry":"DE"}""";

    private static Decoded<List<BatchDecoder.Item>> decode(String json) {
        return BatchDecoder.decode(json.getBytes(StandardCharsets.UTF_8), YearMonth.of(2026, 11));
    }

    @Test
    void aBadItemIsSkippedToItsEndAndTheNextOneStillDecodes() {
        String badInCard = ITEM.replace("\"K\"", "\"K1\"")
                .replace("\"expiry\":\"12/29\"", "\"expiry\":\"12/29\",\"cvv\":{\"deep\":[1,2]}");
        String badEarly = ITEM.replace("\"K\"", "\"K2\"").replace("\"amount\":100", "\"amount\":\"100\"");
        Decoded<List<BatchDecoder.Item>> d = decode("{\"items\":[" + badInCard + "," + badEarly + "," + ITEM + "]}");
        assertTrue(d.isValid(), () -> d.invalid().toString());
        List<BatchDecoder.Item> items = d.value();
        assertEquals(3, items.size());
        assertEquals("items[0].card.cvv", items.get(0).request().invalid().field());
        assertEquals("K1", items.get(0).idempotencyKey());
        assertEquals("items[1].amount", items.get(1).request().invalid().field());
        assertTrue(items.get(2).request().isValid());
        assertEquals("K", items.get(2).idempotencyKey());
        assertEquals(100, items.get(2).request().value().amount());
    }

    @Test
    void everyItemNeedsAWellFormedKey() {
        List<BatchDecoder.Item> items = decode("{\"items\":[" + ITEM.replace("\"idempotencyKey\":\"K\",", "") + ","
                        + ITEM.replace("\"K\"", "\"a b\"") + "]}")
                .value();
        assertEquals("items[0].idempotencyKey", items.get(0).request().invalid().field());
        assertEquals("items[1].idempotencyKey", items.get(1).request().invalid().field());
    }

    @Test
    void theEnvelopeIsStrict() {
        assertFalse(decode("{\"items\":[]}").isValid());
        assertFalse(decode("{\"items\":5}").isValid());
        assertFalse(decode("{\"items\":[" + ITEM + "],\"more\":true}").isValid());
        assertEquals("items", decode("{}").invalid().field());
        StringBuilder many = new StringBuilder("{\"items\":[");
        for (int i = 0; i <= BatchDecoder.MAX_ITEMS; i++)
            many.append(i == 0 ? "" : ",").append("{}");
        assertEquals("items", decode(many.append("]}").toString()).invalid().field());
    }
}
