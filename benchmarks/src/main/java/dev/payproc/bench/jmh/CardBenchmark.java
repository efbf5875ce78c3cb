package dev.payproc.bench.jmh;

import dev.payproc.core.auth.ApiKeys;
import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.card.Luhn;
import dev.payproc.core.model.CardOnFile;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The card and key work done at the edge for every request: {@link CardTokenizer#tokenize} (two HMAC-SHA256,
 * one AES-256-GCM encryption with a fresh random IV, masking), the {@link Luhn} check the decoder runs on
 * each PAN, and {@link MerchantDirectory#hashKey} (SHA-256 of the bearer key, the cache key of every API-key
 * lookup; static, so no database is involved). Tokenization is the most expensive step a PAN request pays
 * before admission, so it sets the gateway's per-core ceiling for card-present traffic.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CardBenchmark {
    private CardTokenizer tokenizer;
    private String pan;
    private String expiry;
    private String merchantId;
    /** Shaped like {@link MerchantDirectory#newApiKey()}: {@code sk_} and 43 base64url characters. */
    private String apiKey;

    @Setup
    public void setUp() {
        tokenizer = Fixtures.tokenizer();
        pan = Fixtures.PAN;
        expiry = Fixtures.EXPIRY;
        merchantId = Fixtures.MERCHANT_ID;
        apiKey = "sk_q8Zt0XbV3nW1yR5kLm2Jp7Hc9Gd4Fs6Ae0Tu8Yi1OoX";
    }

    @Benchmark
    public CardOnFile tokenize() {
        return tokenizer.tokenize(pan, expiry, merchantId);
    }

    @Benchmark
    public boolean luhn() {
        return Luhn.isValid(pan);
    }

    @Benchmark
    public byte[] hashKey() {
        return ApiKeys.hash(apiKey);
    }
}
