package dev.payproc.bench.faults.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The slow-database scenario's load: min(the background load, a fraction of writers x batch cap / delay). */
class SlowDatabaseLoadTest {
    @Test
    void aQuietBoxOffersAPartOfTheSlowCeilingNotHalfTheFastMaximum() {
        // Half of a calibrated 8,440/s is 4,220/s: 82 % of the 5,120/s two writers commit with 200 ms answers.
        SlowDatabaseLoad quiet = new SlowDatabaseLoad(4220, 2, 512, 200, SlowDatabaseLoad.DEFAULT_FRACTION);
        assertEquals(5120, quiet.ceiling());
        assertEquals(3072, quiet.ceilingShare());
        assertEquals(3072, quiet.rate());
    }

    @Test
    void aBusyBoxKeepsTheBackgroundLoad() {
        assertEquals(1700, new SlowDatabaseLoad(1700, 2, 512, 200, 0.6).rate());
    }

    @ParameterizedTest
    @CsvSource({
        // fast, writers, cap, delay ms, fraction, ceiling, rate
        "10000, 4, 512, 200, 0.6, 10240, 6144",
        "10000, 2, 256, 200, 0.6, 2560, 1536",
        "10000, 2, 512, 500, 0.6, 2048, 1228",
        "10000, 2, 512, 200, 0.5, 5120, 2560",
        "10000, 2, 512, 200, 1, 5120, 5120",
        "3072, 2, 512, 200, 0.6, 5120, 3072",
        "10000, 1, 1, 10000, 0.6, 0, 1",
    })
    void followsEveryInput(long fast, long writers, long cap, long delayMs, double fraction, long ceiling, long rate) {
        SlowDatabaseLoad load = new SlowDatabaseLoad(fast, writers, cap, delayMs, fraction);
        assertEquals(ceiling, load.ceiling());
        assertEquals(rate, load.rate());
    }

    @Test
    void printsTheFormulaWithItsInputs() {
        SlowDatabaseLoad load = new SlowDatabaseLoad(4220, 2, 512, 200, 0.6);
        assertEquals(
                "offered 3072/s = min(background 4220/s, 0.6 x 2 writers x batch cap 512 / 200 ms = 3072/s of a "
                        + "ceiling of 5120/s)",
                load.describe());
        assertEquals(
                "fast_rate=4220 writers=2 batch_cap=512 slow_db_ms=200 fraction=0.6 slow_db_rate=3072", load.line());
    }

    @Test
    void readsBackWhatItPrints() {
        SlowDatabaseLoad load = new SlowDatabaseLoad(4220, 3, 300, 250, 0.625);
        assertEquals(load, SlowDatabaseLoad.parse(Figures.parse(load.line())));
    }

    @Test
    void refusesInputsWithoutACeiling() {
        assertThrows(IllegalArgumentException.class, () -> new SlowDatabaseLoad(4220, 2, 512, 0, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new SlowDatabaseLoad(4220, 0, 512, 200, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new SlowDatabaseLoad(4220, 2, 0, 200, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new SlowDatabaseLoad(0, 2, 512, 200, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new SlowDatabaseLoad(4220, 2, 512, 200, 0));
        assertThrows(IllegalArgumentException.class, () -> new SlowDatabaseLoad(4220, 2, 512, 200, 1.5));
    }
}
