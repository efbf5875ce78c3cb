package dev.payproc.bench.jmh;

import dev.payproc.core.model.Authorization;
import dev.payproc.risk.ActivityBoard;
import dev.payproc.risk.RiskEngine;
import dev.payproc.risk.RiskSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The heap the risk engine keeps per tracked card: decides {@code attempts} authorizations (default 1) for each
 * of {@code cards} distinct cards (default 1,000,000, fingerprints shaped like real ones) and divides the growth
 * of the used heap, measured after full collections, by the card count. A plain main, not a JMH benchmark: JMH
 * measures time. Run (after {@code mvn -B -q -o -pl benchmarks package -DskipTests}):
 * {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.payproc.bench.jmh.RiskMemory [cards] [attempts]}
 */
public final class RiskMemory {
    private RiskMemory() {}

    public static void main(String[] args) {
        int cards = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int attempts = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Authorization template = Fixtures.contractAuthorization();
        HexFormat hex = HexFormat.of();
        byte[] fp = new byte[16];

        long before = usedAfterGc();
        // One merchant brings every card: no per-merchant cap, the cost of card state is what is measured.
        RiskEngine engine = new RiskEngine(RiskSettings.defaults(), new ActivityBoard(), Integer.MAX_VALUE);
        for (int a = 0; a < attempts; a++) {
            SplittableRandom random = new SplittableRandom(42); // the same cards in every round
            long now = Fixtures.NOW_MILLIS + a * 61_000L; // a round a minute, so the card velocity limit never fires
            for (int i = 0; i < cards; i++) {
                random.nextBytes(fp);
                engine.decide(Fixtures.withFingerprint(template, hex.formatHex(fp)), now);
            }
        }
        long after = usedAfterGc();
        if (engine.trackedCards() != cards) throw new IllegalStateException("fingerprints collided");
        System.out.printf(
                "%,d cards x %d attempts: %,d bytes retained, %.1f bytes per card%n",
                cards, attempts, after - before, (double) (after - before) / cards);
        Reference.reachabilityFence(engine);
    }

    /** Used heap once full collections stop freeing anything. */
    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) return now;
            used = now;
        }
        return used;
    }
}
