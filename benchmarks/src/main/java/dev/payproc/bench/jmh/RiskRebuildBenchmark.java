package dev.payproc.bench.jmh;

import dev.payproc.core.model.EntryMode;
import dev.payproc.risk.HistoricalAttempt;
import dev.payproc.risk.RiskEngine;
import dev.payproc.risk.RiskSettings;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The risk state rebuild at start: a fresh {@link RiskEngine} {@link RiskEngine#replay replays} a day of ledger
 * rows ({@value #ATTEMPTS} attempts in time order, spread over the 24 h before start) by pseudo-random cards out
 * of {@code cards}, at 1,000 merchants with 10 terminals each; 5% were declined. The score is attempts replayed
 * per second, table growth and all. Each row carries its own copy of the fingerprint and the rows are read in
 * order, as from a result set; merchant and terminal ids are shared strings whose hash codes are cached after
 * first use, whereas a result set yields fresh ones (a few nanoseconds more per row).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RiskRebuildBenchmark {
    static final int ATTEMPTS = 1_000_000;
    private static final long DAY_MILLIS = 86_400_000;

    /** 100,000 cards pay about ten times a day each; a million cards about once. */
    @Param({"100000", "1000000"})
    int cards;

    private RiskSettings settings;
    private HistoricalAttempt[] rows;

    @Setup
    public void setUp() {
        settings = RiskSettings.defaults();
        SplittableRandom random = new SplittableRandom(42);
        HexFormat hex = HexFormat.of();
        byte[] fp = new byte[16];
        String[] fingerprints = new String[cards];
        for (int i = 0; i < cards; i++) {
            random.nextBytes(fp);
            fingerprints[i] = hex.formatHex(fp);
        }
        String[] merchants = new String[1_000];
        for (int m = 0; m < merchants.length; m++) merchants[m] = "m-" + m;
        String[] terminals = new String[10];
        for (int t = 0; t < terminals.length; t++) terminals[t] = "t-" + t;

        rows = new HistoricalAttempt[ATTEMPTS];
        long start = Fixtures.NOW_MILLIS - DAY_MILLIS;
        for (int i = 0; i < ATTEMPTS; i++) {
            String fingerprint = new String(fingerprints[random.nextInt(cards)].toCharArray());
            long at = start + (i + 1L) * DAY_MILLIS / ATTEMPTS;
            rows[i] = new HistoricalAttempt(
                    fingerprint,
                    merchants[random.nextInt(merchants.length)],
                    terminals[random.nextInt(terminals.length)],
                    100 + random.nextInt(100_000),
                    "EUR",
                    "DE",
                    random.nextBoolean() ? EntryMode.CONTACTLESS : EntryMode.ECOMMERCE,
                    random.nextInt(20) != 0,
                    at);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ATTEMPTS)
    public int rebuild() {
        RiskEngine engine = new RiskEngine(settings);
        for (HistoricalAttempt row : rows) engine.replay(row, Fixtures.NOW_MILLIS);
        return engine.trackedCards();
    }
}
