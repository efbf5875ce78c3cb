package dev.payproc.gateway.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.util.regex.Pattern;

/** What every request decoder shares: one strict JSON parser setup, its error answer, and the key format. */
public final class StrictJson {
    /** Duplicate keys refused; nesting and string lengths bounded far above any legitimate body. */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)
                    .maxStringLength(4096)
                    .build())
            .build();

    /** Never with ':': the processor's own operations (the expiry sweeper's) use keys with it, out of clients' reach. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private StrictJson() {}

    /** Location only: the parser's own message may quote the offending input, which can be card data. */
    static <T> Decoded<T> malformed(JsonProcessingException e) {
        var at = e.getLocation();
        return Decoded.invalid(
                null,
                at == null
                        ? "malformed JSON"
                        : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
    }

    /** An {@code Idempotency-Key}, in a header or a batch item: 1-64 characters of {@code [A-Za-z0-9_-]}. */
    public static boolean isIdempotencyKey(String key) {
        return IDEMPOTENCY_KEY.matcher(key).matches();
    }
}
