package dev.payproc.bench.faults.verdict;

import java.math.BigDecimal;

/**
 * The load the slow-database scenario offers, derived from what the processor can commit while every answer from
 * PostgreSQL is {@code delayMs} late: each of {@code writers} writers has one batch of at most {@code batchCap}
 * payments in flight, so together they commit at most {@code writers x batchCap / delay} a second (2 x 512 / 0.2 s =
 * 5,120/s). The scenario offers {@code fraction} of that ceiling, or the background load ({@code fastRate}, half the
 * fast path's calibrated maximum) when that is less: it tests how slowness is handled, not saturation, which the
 * overload scenario covers.
 */
public record SlowDatabaseLoad(long fastRate, long writers, long batchCap, long delayMs, double fraction) {
    /** The part of the slow-database ceiling offered unless set otherwise. */
    public static final double DEFAULT_FRACTION = 0.6;

    public SlowDatabaseLoad {
        if (fastRate < 1 || writers < 1 || batchCap < 1 || delayMs < 1)
            throw new IllegalArgumentException("the fast rate, writers, batch cap and delay must all be positive: "
                    + fastRate + "/s, " + writers + " writers, batch cap " + batchCap + ", " + delayMs + " ms");
        if (!(fraction > 0 && fraction <= 1))
            throw new IllegalArgumentException(
                    "the fraction of the slow-database ceiling must be in (0, 1]: " + fraction);
    }

    /** What the writers can commit a second at most while every answer is {@code delayMs} late. */
    public long ceiling() {
        return writers * batchCap * 1000 / delayMs;
    }

    /** {@code fraction} of the ceiling (at least 1/s). */
    public long ceilingShare() {
        // The nudge keeps 0.6 x 5,120 at 3,072 rather than a binary fraction below it.
        return Math.max(1, (long) Math.floor(fraction * (writers * batchCap * 1000.0 / delayMs) + 1e-6));
    }

    /** The rate offered: {@code min(fastRate, fraction x writers x batchCap / delay)}. */
    public long rate() {
        return Math.min(fastRate, ceilingShare());
    }

    /** The formula with its inputs, for the log and the verdict line. */
    public String describe() {
        return "offered " + rate() + "/s = min(background " + fastRate + "/s, " + fractionText() + " x " + writers
                + " writers x batch cap " + batchCap + " / " + delayMs + " ms = " + ceilingShare()
                + "/s of a ceiling of "
                + ceiling() + "/s)";
    }

    public String line() {
        return "fast_rate=" + fastRate + " writers=" + writers + " batch_cap=" + batchCap + " slow_db_ms=" + delayMs
                + " fraction=" + fractionText() + " slow_db_rate=" + rate();
    }

    private String fractionText() {
        return BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString();
    }

    public static SlowDatabaseLoad parse(Figures f) {
        return new SlowDatabaseLoad(
                f.count("fast_rate"),
                f.count("writers"),
                f.count("batch_cap"),
                f.count("slow_db_ms"),
                f.number("fraction"));
    }
}
