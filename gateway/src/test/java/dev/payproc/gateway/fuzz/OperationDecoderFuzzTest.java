package dev.payproc.gateway.fuzz;

import static dev.payproc.gateway.fuzz.DecoderInvariants.check;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.payproc.gateway.codec.AuthorizationDecoder;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.codec.OperationDecoder;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes capture/refund bodies ({@code takesAmount}) and void bodies (no amount) with the same input; how to
 * run it: see {@link AuthorizationDecoderFuzzTest}. Seeds:
 * {@code src/test/resources/dev/payproc/gateway/fuzz/OperationDecoderFuzzTestInputs/amount/}.
 */
class OperationDecoderFuzzTest {
    @FuzzTest(maxDuration = "5m")
    @Timeout(30)
    @DictionaryEntries({"\"amount\"", "null", "999999999999", "-0", "\\u00"})
    void amount(byte[] body) {
        Decoded<Long> capture = OperationDecoder.amount(body, true);
        DecoderInvariants.checkOutcome(capture);
        if (capture.isValid() && capture.value() != null) { // null: no amount, i.e. "all"
            long amount = capture.value();
            check(amount >= 1 && amount <= AuthorizationDecoder.MAX_AMOUNT, "amount out of range: " + amount);
        }
        Decoded<Long> voidBody = OperationDecoder.amount(body, false);
        DecoderInvariants.checkOutcome(voidBody);
        if (voidBody.isValid()) {
            check(voidBody.value() == null, "a void body yields an amount");
            // Whatever a void accepts (nothing to say), a capture accepts as "all" too.
            check(capture.isValid() && capture.value() == null, "a body valid for a void is not for a capture");
        }
    }
}
