package dev.payproc.bench.faults.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures survive the trip through a driver's RESULT line, and a line that lacks one cannot be judged. */
class FiguresTest {
    private static final LoadFigures OVERLOAD = new LoadFigures(
            new OutcomeFigures(
                    30_000, 12_000, 0, 18_000, 0, 0, 0, 0, 0, 3_500, 900.5, 1_800.0, 700.0, 20.2, 650.0, 19.9, 30_000,
                    800.0, 1_800.0, 0, -1),
            new MonitorFigures(0, 0, -1, new HeapFigures(400, 120, 1_024), 256, 150.3),
            0,
            new FloodFigures(0, 37),
            new ProbeFigures(7_000, 14_000, 420),
            0.78,
            26.4,
            3.1);

    @Test
    void aLoadLineReadsBackAsTheSameFigures() {
        assertEquals(OVERLOAD, LoadFigures.parse(Figures.parse(OVERLOAD.line())));
        LoadFigures plain = new LoadFigures(OVERLOAD.outcomes(), OVERLOAD.monitor(), 2, null, null, 0.31, 70.0, 1.5);
        LoadFigures back = LoadFigures.parse(Figures.parse(plain.line()));
        assertEquals(plain, back);
        assertNull(back.flood());
        assertNull(back.probe());
    }

    @Test
    void retryAndAuditLinesReadBack() {
        RetryFigures retry = new RetryFigures(40, 2, 1, OVERLOAD.outcomes());
        assertEquals(retry, RetryFigures.parse(Figures.parse(retry.line())));
        AuditFigures audit = new AuditFigures(900, 899, 1, 0, 2, 3, 0, 409);
        assertEquals(audit, AuditFigures.parse(Figures.parse(audit.line())));
    }

    @Test
    void readsTheResultLineOfAFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("driver.out");
        Files.write(out, List.of("first other: 400 invalid", "RESULT " + OVERLOAD.line()));
        assertEquals(OVERLOAD, LoadFigures.parse(Figures.read(out)));
        Files.write(out, List.of("Exception in thread main"));
        assertThrows(IllegalArgumentException.class, () -> Figures.read(out));
    }

    @Test
    void aMissingOrGarbledFigureIsRefused() {
        String line = OVERLOAD.line();
        IllegalArgumentException missing = assertThrows(
                IllegalArgumentException.class,
                () -> LoadFigures.parse(Figures.parse(line.replace("in_flight_peak=256", ""))));
        assertTrue(missing.getMessage().contains("in_flight_peak"), missing.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> LoadFigures.parse(Figures.parse(line.replace("s201=12000", "s201=x"))));
        assertThrows(
                IllegalArgumentException.class,
                () -> LoadFigures.parse(Figures.parse(line.replace("ready_down=0/0", "ready_down=0"))));
        assertThrows(IllegalArgumentException.class, () -> AuditFigures.parse(Figures.parse("acknowledged=1 found=1")));
    }
}
