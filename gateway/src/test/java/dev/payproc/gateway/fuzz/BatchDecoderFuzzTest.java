package dev.payproc.gateway.fuzz;

import static dev.payproc.gateway.fuzz.DecoderInvariants.NOW;
import static dev.payproc.gateway.fuzz.DecoderInvariants.check;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.payproc.gateway.codec.BatchDecoder;
import dev.payproc.gateway.codec.Decoded;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@code POST /v1/authorizations/batch} bodies; how to run it: see {@link AuthorizationDecoderFuzzTest}.
 * Seeds: {@code src/test/resources/dev/payproc/gateway/fuzz/BatchDecoderFuzzTestInputs/decode/}.
 */
class BatchDecoderFuzzTest {
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @FuzzTest(maxDuration = "5m")
    @Timeout(30)
    @DictionaryEntries({
        "\"items\"",
        "\"idempotencyKey\"",
        "\"merchantId\"",
        "\"terminalId\"",
        "\"amount\"",
        "\"currency\"",
        "\"card\"",
        "\"pan\"",
        "\"expiry\"",
        "\"token\"",
        "\"entryMode\"",
        "\"mcc\"",
        "\"merchantCountry\"",
        "\"cardholderVerification\"",
        "\"capture\"",
        "null",
        "\\u00"
    })
    void decode(byte[] body) {
        Decoded<List<BatchDecoder.Item>> d = BatchDecoder.decode(body, NOW);
        DecoderInvariants.checkOutcome(d);
        if (!d.isValid()) return;
        List<BatchDecoder.Item> items = d.value();
        check(
                items != null && !items.isEmpty() && items.size() <= BatchDecoder.MAX_ITEMS,
                "a valid batch must hold 1 to " + BatchDecoder.MAX_ITEMS + " items");
        for (int i = 0; i < items.size(); i++) {
            BatchDecoder.Item item = items.get(i);
            check(item != null && item.request() != null, "a null item");
            DecoderInvariants.checkOutcome(item.request());
            if (item.request().isValid()) {
                DecoderInvariants.checkAuthorization(item.request().value());
                check(
                        item.idempotencyKey() != null
                                && IDEMPOTENCY_KEY
                                        .matcher(item.idempotencyKey())
                                        .matches(),
                        "a valid item without a well-formed idempotency key");
            } else {
                // A bad item fails only its own slot, and says which.
                String field = item.request().invalid().field();
                check(field != null && field.startsWith("items[" + i + "]"), "item " + i + " blames " + field);
            }
        }
    }
}
