package dev.payproc.bench;

import dev.payproc.core.audit.AuditKey;
import dev.payproc.core.card.CardKeys;
import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.card.Sha256;
import dev.payproc.core.config.DatabaseSettings;
import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.Decision;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Payment;
import dev.payproc.core.model.PaymentIds;
import dev.payproc.core.model.Reason;
import dev.payproc.core.pipeline.AuthorizationCommand;
import dev.payproc.core.pipeline.DecidedAuthorization;
import dev.payproc.gateway.codec.PaymentJson;
import dev.payproc.gateway.codec.RequestHash;
import dev.payproc.ledger.Connections;
import dev.payproc.ledger.commit.AuthorizationBatchSql;
import dev.payproc.ledger.commit.SealLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The database's ceiling for what the settlement writers write: {@code DB_CONNECTIONS} connections (the processor
 * has one per writer), each committing {@code DB_BATCH} fresh authorizations per statement back to back, with the
 * writers' own statement ({@link AuthorizationBatchSql#INSERT}) and parameter encoding
 * ({@link AuthorizationBatchSql#insertParams}): per payment an idempotency record with its stored answer, a card,
 * the payment, its event and (approved, 95 %) two postings. Rows are built like the processor builds them
 * (tokenized card, rendered answer), each batch while the previous statement runs. No HTTP, no risk, no answers
 * sent: what PostgreSQL absorbs for these rows on this box, with this client beside it.
 * This class lives in the settlement package (in the benchmarks module) only to reach those package-private members.
 * Settings: PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD (the processor's database: it needs the schema and the
 * merchant), DEMO_MERCHANT_ID (m-1001), DB_BATCH (256), DB_CONNECTIONS (2), WARMUP (3 s), DURATION (15 s), and
 * DB_STATEMENT: a file holding another statement to run with the same 32 parameters instead of the writers' (to
 * price a change to what they write before making it; {@code PRINT_STATEMENT=1} prints the writers' own to start from).
 */
public final class InsertCeiling {
    private static final Decision APPROVED = new Decision(DecisionStatus.APPROVED, 0, List.of(), 1);
    private static final Decision DECLINED = new Decision(
            DecisionStatus.DECLINED,
            1000,
            List.of(new Reason("AMOUNT_LIMIT", "amount 1500000 EUR is above the limit of 1000000 EUR")),
            1);

    private static final AuditKey AUDIT_KEY = new AuditKey(Sha256.of("insert ceiling audit"));
    private final String statement;
    private final String merchantId;
    private final int batch;
    private final CardTokenizer tokenizer =
            new CardTokenizer(new CardKeys(Sha256.of("insert ceiling hmac"), "ic1", Sha256.of("insert ceiling aes")));
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong next = new AtomicLong();
    private final LongAdder rows = new LongAdder();
    private final LongAdder statements = new LongAdder();
    private final Recorder latency = new Recorder(3);
    private volatile long endNanos;

    private InsertCeiling(String statement, String merchantId, int batch) {
        this.statement = statement;
        this.merchantId = merchantId;
        this.batch = batch;
    }

    public static void main(String[] args) throws Exception {
        if ("1".equals(System.getenv("PRINT_STATEMENT"))) {
            System.out.print(AuthorizationBatchSql.INSERT);
            return;
        }
        String statementFile = System.getenv("DB_STATEMENT");
        boolean writers = statementFile == null || statementFile.isBlank();
        String statement = writers ? AuthorizationBatchSql.INSERT : Files.readString(Path.of(statementFile));
        int batch = intEnv("DB_BATCH", 256);
        int connections = intEnv("DB_CONNECTIONS", 2);
        int warmup = intEnv("WARMUP", 3);
        int duration = intEnv("DURATION", 15);
        DatabaseSettings db = DatabaseSettings.fromEnv(System.getenv());
        InsertCeiling ceiling =
                new InsertCeiling(statement, System.getenv().getOrDefault("DEMO_MERCHANT_ID", "m-1001"), batch);
        System.out.printf(
                "InsertCeiling: %s, %d connections, %d payments per statement (%s), warm-up %d s, measure %d s%n",
                db,
                connections,
                batch,
                writers ? "the settlement writers' INSERT" : "the statement in " + statementFile,
                warmup,
                duration);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        List<PgConnection> conns = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                conns.add(PgConnection.connect(vertx, Connections.options(db, "payproc-insert-ceiling", 30_000))
                        .await(10, TimeUnit.SECONDS));
            }
            ceiling.endNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + duration);
            // One seal chain per connection, as per settlement writer; callbacks, and so the next batches, run on its
            // event loop.
            for (int i = 0; i < conns.size(); i++) {
                String chain = "insert-ceiling-" + ceiling.run + "-" + i;
                ceiling.loop(conns.get(i), chain, 1, ceiling.build(chain, 1));
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            CpuMeter meter = new CpuMeter(null);
            long rows0 = ceiling.rows.sum();
            long statements0 = ceiling.statements.sum();
            ceiling.latency.reset();
            Thread.sleep(TimeUnit.SECONDS.toMillis(duration));
            CpuMeter.Use cpu = meter.stop();
            long rows = ceiling.rows.sum() - rows0;
            long statements = ceiling.statements.sum() - statements0;
            Histogram h = ceiling.latency.getIntervalHistogram();
            double seconds = cpu.wallSeconds();
            System.out.printf(
                    Locale.ROOT,
                    "  inserted     %.0f payments/s (%d in %.2f s, %d statements = %.0f/s)%n",
                    rows / seconds,
                    rows,
                    seconds,
                    statements,
                    statements / seconds);
            System.out.printf(
                    Locale.ROOT,
                    "  statement ms p50 %.2f  p99 %.2f  max %.2f%n",
                    h.getValueAtPercentile(50) / 1e6,
                    h.getValueAtPercentile(99) / 1e6,
                    h.getMaxValue() / 1e6);
            System.out.println(
                    "  CPU          " + cpu.line("client (row building, encoding)", cpu.self(), rows, "payment"));
            System.out.println(
                    "               " + cpu.line("PostgreSQL (all databases)", cpu.postgres(), rows, "payment"));
            if (!Double.isNaN(cpu.boxCores())) System.out.println("               " + cpu.box());
            System.out.printf(
                    Locale.ROOT,
                    "RESULT target=postgres batch=%d connections=%d throughput=%.0f statement_p50=%.3f "
                            + "statement_p99=%.3f client_cpu_pct=%.0f postgres_cpu_pct=%.0f postgres_us=%.1f box_cores=%.2f other_cores=%.2f%n",
                    batch,
                    connections,
                    rows / seconds,
                    h.getValueAtPercentile(50) / 1e6,
                    h.getValueAtPercentile(99) / 1e6,
                    100 * cpu.self() / seconds,
                    100 * cpu.postgres() / seconds,
                    cpu.postgres() * 1e6 / Math.max(1, rows),
                    cpu.boxCores(),
                    cpu.otherCores());
            Thread.sleep(1000); // let the last statements finish before closing
        } finally {
            for (PgConnection c : conns) c.close().await(10, TimeUnit.SECONDS);
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** Commits {@code params}, builds the next batch while it runs, and goes on until the end. */
    private void loop(PgConnection conn, String chain, long seal, Tuple params) {
        long start = System.nanoTime();
        Future<?> done = conn.preparedQuery(statement).execute(params);
        Tuple following = build(chain, seal + 1); // every batch is fresh, so each statement writes a seal
        done.onComplete(ar -> {
            long now = System.nanoTime();
            if (ar.failed()) {
                System.err.println(
                        "InsertCeiling: statement failed: " + ar.cause().getMessage());
                System.exit(1);
            }
            latency.recordValue(now - start);
            rows.add(batch);
            statements.increment();
            if (now < endNanos) loop(conn, chain, seal + 1, following);
        });
    }

    /** One batch of fresh decided authorizations, encoded exactly as a settlement writer encodes its batch. */
    private Tuple build(String chain, long seal) {
        List<DecidedAuthorization> items = new ArrayList<>(batch);
        List<String> bodies = new ArrayList<>(batch);
        long nowMillis = System.currentTimeMillis();
        for (int i = 0; i < batch; i++) {
            long n = next.getAndIncrement();
            boolean declined = n % 20 == 0;
            String pan = Long.toString(4_000_000_000_000_000L + n * 7_919 % 1_000_000_000_000_000L);
            Authorization auth = new Authorization(
                    merchantId,
                    "t-" + n % 20_000,
                    declined ? 1_500_000 : 100 + n % 39_901,
                    "EUR",
                    tokenizer.tokenize(pan, "12/30", merchantId),
                    EntryMode.CHIP,
                    "5411",
                    "DE",
                    CardholderVerification.PIN,
                    CaptureMode.AUTO);
            Payment payment = Payment.decided(
                    PaymentIds.newPaymentId(nowMillis),
                    auth,
                    declined ? DECLINED : APPROVED,
                    declined ? null : PaymentIds.newAuthCode(),
                    Instant.ofEpochMilli(nowMillis));
            AuthorizationCommand command = new AuthorizationCommand(
                    auth, "ic-" + run + "-" + n, RequestHash.of(auth, false), System.nanoTime(), null);
            items.add(new DecidedAuthorization(command, payment, null, 0));
            bodies.add(PaymentJson.authorization(payment));
        }
        // The seal's key derived from the audit key as a writer derives it (a fixed key: the cost is the same).
        return AuthorizationBatchSql.insertParams(SealLink.of(AUDIT_KEY, chain, seal), items, bodies);
    }

    private static int intEnv(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }
}
