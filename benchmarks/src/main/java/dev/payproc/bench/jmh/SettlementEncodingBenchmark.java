package dev.payproc.bench.jmh;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.card.Luhn;
import dev.payproc.core.card.Sha256;
import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Payment;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.pipeline.DecidedAuthorization;
import dev.payproc.gateway.codec.PaymentJson;
import dev.payproc.gateway.codec.RequestHash;
import dev.payproc.ledger.commit.AuthorizationBatchSql;
import dev.payproc.ledger.commit.SealLink;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
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
 * The CPU a settlement writer spends on one batch of 256 decided authorizations before its database round
 * trip: rendering every response body with {@link PaymentJson#authorization} into a list, exactly as
 * {@code LedgerWriter.commit} does, and {@link AuthorizationBatchSql#insertParams}, which builds the column arrays,
 * the row digests of the seal ({@code RowDigests}) and the {@code Tuple}. One in 16 payments is a velocity decline
 * with a reason, the rest are approvals with distinct cards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SettlementEncodingBenchmark {
    private static final int BATCH = 256;

    private static final AuditKey AUDIT_KEY = new AuditKey(Sha256.of("settlement encoding benchmark"));

    private List<Payment> batch;
    private List<DecidedAuthorization> decided;
    private List<String> bodies;

    @Setup
    public void setUp() {
        Authorization template = Fixtures.contractAuthorization();
        var tokenizer = Fixtures.tokenizer();
        batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            String pan = withLuhnDigit(String.format("41111111%07d", i));
            var auth = Fixtures.authorization(
                    Fixtures.contractRequest(),
                    tokenizer.tokenize(pan, template.card().expiry(), template.merchantId()));
            long created = Fixtures.NOW_MILLIS + i;
            batch.add(i % 16 == 0 ? Fixtures.velocityDeclined(auth, created) : Fixtures.approved(auth, created));
        }
        decided = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            Payment p = batch.get(i);
            AuthorizationCommand command = new AuthorizationCommand(
                    p.authorization(), "bench-" + i, RequestHash.of(p.authorization(), false), 0, null);
            decided.add(new DecidedAuthorization(command, p, null, 0));
        }
        bodies = responseBodies();
    }

    /** The statement's parameters of one batch, with the seal's row digests, as the writer builds them. */
    @Benchmark
    public Tuple insertParams() {
        return AuthorizationBatchSql.insertParams(SealLink.of(AUDIT_KEY, "writer-bench", 1), decided, bodies);
    }

    /** The response bodies of one batch, built as the writer builds them. */
    @Benchmark
    public List<String> responseBodies() {
        List<String> bodies = new ArrayList<>(batch.size());
        for (Payment p : batch) bodies.add(PaymentJson.authorization(p));
        return bodies;
    }

    /** Appends the Luhn check digit to a 15-digit prefix. */
    private static String withLuhnDigit(String prefix) {
        for (int d = 0; d <= 9; d++) {
            String pan = prefix + d;
            if (Luhn.isValid(pan)) return pan;
        }
        throw new IllegalStateException("no Luhn digit for " + prefix);
    }
}
