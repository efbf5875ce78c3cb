package dev.payproc.bench.jmh;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Decision;
import dev.payproc.risk.ActivityBoard;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RiskEngine#decide} on the single risk thread, whose rate caps the whole pipeline. With one hot card
 * the engine's state stays in cache: {@code hotCardApproved} moves the clock past every window on
 * every call (no rule fires), {@code hotCardVelocityDeclined} keeps it still, so {@code VELOCITY_CARD} fires
 * and writes its reason. {@code manyCards} decides for pseudo-randomly drawn cards out of {@code cards}
 * (default 1,000,000, pre-populated in setup), so the per-card state, keyed by {@code CardOnFile.fingerprint()},
 * is mostly a cache miss; its inputs are read in order and hot, as a freshly tokenized card is. Draws spread
 * over 1,000 merchants and 20,000 terminals, so at one call per millisecond no terminal or merchant passes
 * its velocity limit and, as in production, no rule fires for an ordinary authorization. The engine
 * parses each fingerprint's 32 hex digits into two longs on every lookup, as in production.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RiskBenchmark {
    /** Longer than the longest default window (the 24 h daily one): every earlier attempt falls out of it. */
    private static final long PAST_WINDOW_MILLIS =
            RiskSettings.defaults().thresholds().daily().millis() + 1;

    @State(Scope.Thread)
    public static class HotCard {
        RiskEngine engine;
        Authorization auth;
        long now;

        @Setup
        public void setUp() {
            engine = new RiskEngine(RiskSettings.defaults());
            auth = Fixtures.contractAuthorization();
            now = Fixtures.NOW_MILLIS;
            String fp = auth.card().fingerprint();
            engine.decide(
                    Fixtures.withFingerprint(auth, new String(fp.toCharArray())), now); // the card's first attempt
        }
    }

    @State(Scope.Thread)
    public static class ManyCards {
        /** Draws pre-built: 2^20 inputs read in order, each naming a pseudo-random one of {@code cards}. */
        private static final int DRAWS = 1 << 20;

        private static final int MERCHANTS = 1_000;
        private static final int TERMINALS = 20_000;

        @Param("1000000")
        int cards;

        RiskEngine engine;
        Authorization[] draws;
        int next;
        long now;

        @Setup
        public void setUp() {
            // One merchant brings every card: no per-merchant cap, the cost of card state is what is measured.
            engine = new RiskEngine(RiskSettings.defaults(), new ActivityBoard(), Integer.MAX_VALUE);
            Authorization template = Fixtures.contractAuthorization();
            SplittableRandom random = new SplittableRandom(42);
            HexFormat hex = HexFormat.of();
            byte[] fp = new byte[16]; // the shape of a real fingerprint: 16 bytes of HMAC as 32 hex digits
            String[] fingerprints = new String[cards];
            now = Fixtures.NOW_MILLIS;
            for (int i = 0; i < cards; i++) {
                random.nextBytes(fp);
                fingerprints[i] = hex.formatHex(fp);
                engine.decide(Fixtures.withFingerprint(template, fingerprints[i]), now);
            }
            if (engine.trackedCards() != cards) throw new IllegalStateException("fingerprints collided");
            // Allocated in draw order, so the benchmark reads its inputs sequentially (hot, like a card just
            // tokenized); each carries its own copy of the fingerprint, so only the engine's state is cold.
            String[] merchants = new String[MERCHANTS];
            for (int m = 0; m < MERCHANTS; m++) merchants[m] = "m-" + m;
            String[] terminals = new String[TERMINALS];
            for (int t = 0; t < TERMINALS; t++) terminals[t] = "t-" + t;
            draws = new Authorization[DRAWS];
            for (int j = 0; j < DRAWS; j++) {
                String fingerprint = fingerprints[random.nextInt(cards)];
                draws[j] = Fixtures.at(
                        Fixtures.withFingerprint(template, new String(fingerprint.toCharArray())),
                        merchants[j % MERCHANTS],
                        terminals[j % TERMINALS]);
            }
        }

        Authorization nextDraw() {
            Authorization a = draws[next];
            next = (next + 1) & (DRAWS - 1);
            return a;
        }
    }

    @Benchmark
    public Decision hotCardApproved(HotCard s) {
        s.now += PAST_WINDOW_MILLIS;
        return s.engine.decide(s.auth, s.now);
    }

    @Benchmark
    public Decision hotCardVelocityDeclined(HotCard s) {
        return s.engine.decide(s.auth, s.now);
    }

    @Benchmark
    public Decision manyCards(ManyCards s) {
        // 1 ms per call: a card is drawn about once per million calls, far apart in its velocity window, and
        // ten million calls span under 3 hours, so no card idles out of its 24 h state and gets re-created.
        s.now += 1;
        return s.engine.decide(s.nextDraw(), s.now);
    }
}
