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
import dev.payproc.ledger.schema.Migrations;
import dev.payproc.testkit.Await;
import dev.payproc.testkit.TestDatabase;
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
 * ({@link AuthorizationBatchSql#insertParams}): per payment an idempotency record with its stored answer, a card
 * and the payment carrying its first event and (approved, 95 %) its postings, with the seal over them. Rows are built
 * like the processor builds them (tokenized card, rendered answer, row digests), each batch while the previous
 * statement runs. No HTTP, no risk, no answers sent: what PostgreSQL absorbs for these rows on this box, with this
 * client beside it.
 * Settings: PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD (the processor's database: it needs the schema and the
 * merchant), DEMO_MERCHANT_ID (m-1001), DB_BATCH (256), DB_CONNECTIONS (2), WARMUP (3 s), DURATION (15 s), and
 * DB_STATEMENT: a file holding another statement to run with the writers' parameters (or the first of them) instead of
 * theirs (to price a change to what they write before making it; {@code PRINT_STATEMENT=1} prints the writers' own to
 * start from). {@code COMPARE_LAYOUTS=1} instead compares today's layout with the one before V16 on two fresh databases
 * of its own, ABBA, at each batch size of {@code DB_BATCHES} (1,32,512); {@code COMPARE_VARIANT=1} compares today's
 * layout with a variant of it ({@code VARIANT_SETUP}, {@code VARIANT_STATEMENT}) the same way.
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
    private final String run = Long.toString(System.nanoTime(), 36);
    private final AtomicLong next = new AtomicLong();
    private final LongAdder rows = new LongAdder();
    private final LongAdder statements = new LongAdder();
    private final Recorder latency = new Recorder(3);
    private volatile long endNanos;
    /** The highest {@code $n} in the statement: how many of the writers' parameters it binds. */
    private final int parameters;
    /** Whether the statement is an earlier one that stores the answers' text in {@code $24} (before V17). */
    private final boolean answersAsText;

    private static final int ANSWER_PARAMETER = 23; // $24, 0-based

    private InsertCeiling(String statement, String merchantId, int batch) {
        this.statement = statement;
        this.merchantId = merchantId;
        this.batch = batch;
        this.parameters = java.util.regex.Pattern.compile("\\$(\\d+)")
                .matcher(statement)
                .results()
                .mapToInt(m -> Integer.parseInt(m.group(1)))
                .max()
                .orElse(0);
        this.answersAsText = statement.contains("$24::text[]");
    }

    public static void main(String[] args) throws Exception {
        if ("1".equals(System.getenv("PRINT_STATEMENT"))) {
            System.out.print(AuthorizationBatchSql.INSERT);
            return;
        }
        int connections = intEnv("DB_CONNECTIONS", 2);
        int warmup = intEnv("WARMUP", 3);
        int duration = intEnv("DURATION", 15);
        String merchantId = System.getenv().getOrDefault("DEMO_MERCHANT_ID", "m-1001");
        if ("1".equals(System.getenv("COMPARE_LAYOUTS"))) {
            compareLayouts(merchantId, connections, warmup, duration);
            return;
        }
        if ("1".equals(System.getenv("COMPARE_VARIANT"))) {
            compareVariant(merchantId, connections, warmup, duration);
            return;
        }
        String statementFile = System.getenv("DB_STATEMENT");
        boolean writers = statementFile == null || statementFile.isBlank();
        String statement = writers ? AuthorizationBatchSql.INSERT : Files.readString(Path.of(statementFile));
        int batch = intEnv("DB_BATCH", 256);
        DatabaseSettings db = DatabaseSettings.fromEnv(System.getenv());
        System.out.printf(
                "InsertCeiling: %s, %d connections, %d payments per statement (%s), warm-up %d s, measure %d s%n",
                db,
                connections,
                batch,
                writers ? "the settlement writers' INSERT" : "the statement in " + statementFile,
                warmup,
                duration);
        Result r = new InsertCeiling(statement, merchantId, batch).measure(db, connections, warmup, duration);
        r.print();
        System.out.printf(
                Locale.ROOT,
                "RESULT target=postgres batch=%d connections=%d throughput=%.0f statement_p50=%.3f "
                        + "statement_p99=%.3f statement_p999=%.3f client_cpu_pct=%.0f postgres_cpu_pct=%.0f postgres_us=%.1f box_cores=%.2f other_cores=%.2f"
                        + " wal_bytes=%.0f%n",
                batch,
                connections,
                r.throughput(),
                r.latency().getValueAtPercentile(50) / 1e6,
                r.latency().getValueAtPercentile(99) / 1e6,
                r.latency().getValueAtPercentile(99.9) / 1e6,
                100 * r.cpu().self() / r.cpu().wallSeconds(),
                100 * r.cpu().postgres() / r.cpu().wallSeconds(),
                r.postgresMicros(),
                r.cpu().boxCores(),
                r.cpu().otherCores(),
                r.walBytesPerPayment());
    }

    /** The layout before {@code V16}: the last migration it has, and the writers' statement of that time. */
    private static final int BASELINE_MIGRATION = 15;

    private static final String BASELINE_STATEMENT = "/baseline/authorization-insert-before-v16.sql";

    /**
     * The writers' statement on today's layout against the statement of the layout before V16 on a database migrated
     * only that far, both fresh, in one run ({@link #abba}).
     */
    private static void compareLayouts(String merchantId, int connections, int warmup, int duration) throws Exception {
        String baseline;
        try (var in = InsertCeiling.class.getResourceAsStream(BASELINE_STATEMENT)) {
            baseline = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        try (TestDatabase before = new TestDatabase();
                TestDatabase today = new TestDatabase()) {
            Await.result(Migrations.applyThrough(before.pool(), BASELINE_MIGRATION));
            Await.result(Migrations.apply(today.pool()));
            abba(
                    new Side("today", today, AuthorizationBatchSql.INSERT),
                    new Side("before V16", before, baseline),
                    "layout before V16",
                    merchantId,
                    connections,
                    warmup,
                    duration);
        }
    }

    /**
     * A change priced before it is made: the writers' statement on today's layout against {@code VARIANT_STATEMENT}
     * (a file; the writers' statement when unset) on today's layout changed by {@code VARIANT_SETUP} (a file of SQL
     * run after the migrations, e.g. an index dropped), both fresh, in one run ({@link #abba}).
     */
    private static void compareVariant(String merchantId, int connections, int warmup, int duration) throws Exception {
        String setup = fileEnv("VARIANT_SETUP", "");
        String statement = fileEnv("VARIANT_STATEMENT", AuthorizationBatchSql.INSERT);
        try (TestDatabase today = new TestDatabase();
                TestDatabase variant = new TestDatabase()) {
            Await.result(Migrations.apply(today.pool()));
            Await.result(Migrations.apply(variant.pool()));
            if (!setup.isBlank())
                Await.result(variant.pool().query(setup).execute()); // simple protocol: several statements
            abba(
                    new Side("variant", variant, statement),
                    new Side("today", today, AuthorizationBatchSql.INSERT),
                    "today",
                    merchantId,
                    connections,
                    warmup,
                    duration);
        }
    }

    /** One side of a comparison: a fresh database and the statement run on it. */
    private record Side(String label, TestDatabase db, String statement) {}

    /**
     * For each batch size of {@code DB_BATCHES} (1,32,512): the baseline, the candidate, the candidate, the baseline
     * (ABBA, so a drift of the box during the run does not favour either), PostgreSQL's CPU per payment of each and
     * the ratio candidate/baseline.
     */
    private static void abba(
            Side candidate,
            Side baseline,
            String baselineName,
            String merchantId,
            int connections,
            int warmup,
            int duration)
            throws Exception {
        for (Side s : List.of(candidate, baseline)) {
            s.db().query("INSERT INTO merchants (id, name) VALUES ($1, 'insert ceiling')", merchantId);
        }
        for (String b : System.getenv().getOrDefault("DB_BATCHES", "1,32,512").split(",")) {
            int batch = Integer.parseInt(b.trim());
            double[] baseUs = new double[2], candUs = new double[2];
            double[] baseRate = new double[2], candRate = new double[2];
            double[] baseWal = new double[2], candWal = new double[2];
            for (int round = 0; round < 4; round++) {
                boolean isBase = round == 0 || round == 3;
                Side side = isBase ? baseline : candidate;
                Result r = new InsertCeiling(side.statement(), merchantId, batch)
                        .measure(side.db().settings(), connections, warmup, duration);
                int slot = round < 2 ? 0 : 1;
                (isBase ? baseUs : candUs)[slot] = r.postgresMicros();
                (isBase ? baseRate : candRate)[slot] = r.throughput();
                (isBase ? baseWal : candWal)[slot] = r.walBytesPerPayment();
                System.out.printf(
                        Locale.ROOT,
                        "  batch %d, layout %s: %.0f payments/s, PostgreSQL %.1f µs and %.0f WAL bytes per payment"
                                + " (other users %.2f cores)%n",
                        batch,
                        side.label(),
                        r.throughput(),
                        r.postgresMicros(),
                        r.walBytesPerPayment(),
                        r.cpu().otherCores());
            }
            double t = (candUs[0] + candUs[1]) / 2, o = (baseUs[0] + baseUs[1]) / 2;
            System.out.printf(
                    Locale.ROOT,
                    "postgres cpu per payment at batch %d: %.1f us (%s: %.1f us; ratio %s/%s %.2f;"
                            + " %.0f against %.0f payments/s; WAL %.0f against %.0f bytes per payment)%n",
                    batch,
                    t,
                    baselineName,
                    o,
                    candidate.label(),
                    baseline.label(),
                    t / o,
                    (candRate[0] + candRate[1]) / 2,
                    (baseRate[0] + baseRate[1]) / 2,
                    (candWal[0] + candWal[1]) / 2,
                    (baseWal[0] + baseWal[1]) / 2);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT target=layouts batch=%d postgres_us=%.1f baseline_postgres_us=%.1f ratio=%.3f throughput=%.0f"
                            + " baseline_throughput=%.0f wal_bytes=%.0f baseline_wal_bytes=%.0f%n",
                    batch,
                    t,
                    o,
                    t / o,
                    (candRate[0] + candRate[1]) / 2,
                    (baseRate[0] + baseRate[1]) / 2,
                    (candWal[0] + candWal[1]) / 2,
                    (baseWal[0] + baseWal[1]) / 2);
        }
    }

    private static String fileEnv(String name, String fallback) throws java.io.IOException {
        String file = System.getenv(name);
        return file == null || file.isBlank() ? fallback : Files.readString(Path.of(file));
    }

    /** One run's figures. */
    private record Result(long payments, long statements, Histogram latency, CpuMeter.Use cpu, long walBytes) {
        double throughput() {
            return payments / cpu.wallSeconds();
        }

        /** The WAL the server wrote per payment (all databases): the density of the durable write, less noisy than CPU. */
        double walBytesPerPayment() {
            return (double) walBytes / Math.max(1, payments);
        }

        double postgresMicros() {
            return cpu.postgres() * 1e6 / Math.max(1, payments);
        }

        void print() {
            System.out.printf(
                    Locale.ROOT,
                    "  inserted     %.0f payments/s (%d in %.2f s, %d statements = %.0f/s)%n",
                    throughput(),
                    payments,
                    cpu.wallSeconds(),
                    statements,
                    statements / cpu.wallSeconds());
            System.out.printf(
                    Locale.ROOT,
                    "  statement ms p50 %.2f  p99 %.2f  max %.2f%n",
                    latency.getValueAtPercentile(50) / 1e6,
                    latency.getValueAtPercentile(99) / 1e6,
                    latency.getMaxValue() / 1e6);
            System.out.println(
                    "  CPU          " + cpu.line("client (row building, encoding)", cpu.self(), payments, "payment"));
            System.out.println(
                    "               " + cpu.line("PostgreSQL (all databases)", cpu.postgres(), payments, "payment"));
            if (!Double.isNaN(cpu.boxCores())) System.out.println("               " + cpu.box());
            System.out.printf(Locale.ROOT, "  WAL          %.0f bytes per payment%n", walBytesPerPayment());
        }
    }

    /** Commits batches back to back on {@code connections} connections: warm-up, then the measured seconds. */
    private Result measure(DatabaseSettings db, int connections, int warmup, int duration) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        List<PgConnection> conns = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                conns.add(PgConnection.connect(vertx, Connections.options(db, "payproc-insert-ceiling", 30_000))
                        .await(10, TimeUnit.SECONDS));
            }
            // Every run starts right after a checkpoint: the WAL's full-page images (the first change of each page
            // after
            // one) then weigh the same in every run, wherever the server's own checkpoints happen to fall.
            conns.get(0).query("CHECKPOINT").execute().await(60, TimeUnit.SECONDS);
            endNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + duration);
            // One seal chain per connection, as per settlement writer; callbacks, and so the next batches, run on its
            // event loop.
            for (int i = 0; i < conns.size(); i++) {
                String chain = "insert-ceiling-" + run + "-" + i;
                loop(conns.get(i), chain, 1, build(chain, 1));
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            long wal0 = walPosition(conns.get(0));
            CpuMeter meter = new CpuMeter(null);
            long rows0 = rows.sum();
            long statements0 = statements.sum();
            latency.reset();
            Thread.sleep(TimeUnit.SECONDS.toMillis(duration));
            CpuMeter.Use cpu = meter.stop();
            long wal = walPosition(conns.get(0)) - wal0;
            Result r = new Result(
                    rows.sum() - rows0, statements.sum() - statements0, latency.getIntervalHistogram(), cpu, wal);
            Thread.sleep(1000); // let the last statements finish before closing
            return r;
        } finally {
            for (PgConnection c : conns) c.close().await(10, TimeUnit.SECONDS);
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** The server's current WAL insert position, in bytes. */
    private static long walPosition(PgConnection conn) throws Exception {
        return conn.query("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint")
                .execute()
                .await(10, TimeUnit.SECONDS)
                .iterator()
                .next()
                .getLong(0);
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
        Tuple params = AuthorizationBatchSql.insertParams(SealLink.of(AUDIT_KEY, chain, seal), items, bodies);
        if (!answersAsText) return params;
        // The layout before V16 (the baseline) binds only the first parameters the writers give today, and stored
        // each answer as text where they now give its digest ($24).
        Tuple first = Tuple.tuple();
        for (int i = 0; i < Math.min(parameters, params.size()); i++) {
            first.addValue(i == ANSWER_PARAMETER ? bodies.toArray(String[]::new) : params.getValue(i));
        }
        return first;
    }

    private static int intEnv(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }
}
