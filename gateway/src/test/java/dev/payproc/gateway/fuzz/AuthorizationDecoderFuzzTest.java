package dev.payproc.gateway.fuzz;

import static dev.payproc.gateway.fuzz.DecoderInvariants.NOW;
import static dev.payproc.gateway.fuzz.DecoderInvariants.check;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.payproc.gateway.codec.AuthorizationDecoder;
import dev.payproc.gateway.codec.AuthorizationRequest;
import dev.payproc.gateway.codec.BatchDecoder;
import dev.payproc.gateway.codec.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@code POST /v1/authorizations} bodies. {@code mvn test} runs it in regression mode: the seeds under
 * {@code src/test/resources/dev/payproc/gateway/fuzz/AuthorizationDecoderFuzzTestInputs/decode/} plus an empty
 * input, in milliseconds. Real (coverage-guided) fuzzing, one JVM per fuzz test class, up to {@code maxDuration}
 * each; the generated corpus and any crash file go to {@code gateway/target/fuzz/}:
 * <pre>mvn -pl gateway -am verify -Pfuzz -Dtest='*Fuzz*' -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * A crash file worth keeping as a regression test moves into the seed directory above (once the bug is fixed).
 */
class AuthorizationDecoderFuzzTest {
    @FuzzTest(maxDuration = "5m")
    // A hang: Jazzer turns this into libFuzzer's per-input -timeout; JUnit enforces it per seed in regression
    // mode (the fuzz profile turns JUnit's timeouts off, else JUnit would time the whole fuzzing run).
    @Timeout(30)
    @DictionaryEntries({
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
        "\"CONTACTLESS\"",
        "\"MANUAL\"",
        "\"THREE_DS\"",
        "\"4111111111111111\"",
        "\"12/29\"",
        "\"tok_abcdefghijklmnopqrstuvwx\"",
        "null",
        "\\u00"
    })
    void decode(byte[] body) {
        Decoded<AuthorizationRequest> d = AuthorizationDecoder.decode(body, NOW);
        DecoderInvariants.checkOutcome(d);
        if (!d.isValid()) return;
        DecoderInvariants.checkAuthorization(d.value());
        sameAsABatchItem(body, d.value());
    }

    /**
     * Differential check: a valid body, given an idempotency key, is a valid one-item batch that decodes to the
     * same request (the batch endpoint must not accept or refuse differently from the single one).
     */
    private static void sameAsABatchItem(byte[] body, AuthorizationRequest single) {
        int open = 0;
        while (open < body.length
                && (body[open] == ' ' || body[open] == '\t' || body[open] == '\r' || body[open] == '\n')) open++;
        // Only plain UTF-8 bodies: Jackson detects UTF-16/32 from the first bytes (and NULs), where splicing
        // ASCII text in would change the encoding rather than the object.
        for (byte b : body) if (b == 0) return;
        if (open >= body.length || body[open] != '{') return;
        byte[] key = "\"idempotencyKey\":\"k-1\",".getBytes(StandardCharsets.US_ASCII);
        byte[] head = "{\"items\":[".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "]}".getBytes(StandardCharsets.US_ASCII);
        byte[] batch = new byte[head.length + body.length + key.length + tail.length];
        int n = 0;
        System.arraycopy(head, 0, batch, n, head.length);
        n += head.length;
        System.arraycopy(body, 0, batch, n, open + 1);
        n += open + 1;
        System.arraycopy(key, 0, batch, n, key.length);
        n += key.length;
        System.arraycopy(body, open + 1, batch, n, body.length - open - 1);
        n += body.length - open - 1;
        System.arraycopy(tail, 0, batch, n, tail.length);

        Decoded<List<BatchDecoder.Item>> b = BatchDecoder.decode(batch, NOW);
        DecoderInvariants.checkOutcome(b);
        check(b.isValid() && b.value().size() == 1, "a valid authorization is refused as a batch: " + b.invalid());
        BatchDecoder.Item item = b.value().get(0);
        DecoderInvariants.checkOutcome(item.request());
        check(
                item.request().isValid(),
                "a valid authorization is an invalid batch item: "
                        + item.request().invalid());
        check(single.equals(item.request().value()), "the batch item decodes differently from the single request");
        check("k-1".equals(item.idempotencyKey()), "the batch item lost its idempotency key");
    }
}
