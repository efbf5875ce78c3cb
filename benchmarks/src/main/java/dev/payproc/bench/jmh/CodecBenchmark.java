package dev.payproc.bench.jmh;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Payment;
import dev.payproc.gateway.codec.AuthorizationDecoder;
import dev.payproc.gateway.codec.AuthorizationRequest;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.codec.PaymentJson;
import dev.payproc.gateway.codec.RequestHash;
import java.time.YearMonth;
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
 * The per-request codec work on a gateway event loop: decoding and validating the contract's example body
 * ({@link AuthorizationDecoder#decode}), rendering the approved answer ({@link PaymentJson#authorization}, which
 * the settlement writer does once per payment before committing) and the idempotency hash of the decoded
 * fields ({@link RequestHash#of}). Each runs once per authorization, so their sum bounds how many
 * authorizations one core can parse and answer; {@code -prof gc} shows what each allocates per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {
    private byte[] body;
    private YearMonth month;
    private Authorization authorization;
    private Payment payment;

    @Setup
    public void setUp() {
        body = Fixtures.contractBody();
        month = Fixtures.MONTH;
        authorization = Fixtures.contractAuthorization();
        payment = Fixtures.approved(authorization, Fixtures.NOW_MILLIS);
    }

    @Benchmark
    public Decoded<AuthorizationRequest> decode() {
        return AuthorizationDecoder.decode(body, month);
    }

    @Benchmark
    public String encodeAuthorization() {
        return PaymentJson.authorization(payment);
    }

    @Benchmark
    public byte[] requestHash() {
        return RequestHash.of(authorization, false);
    }
}
