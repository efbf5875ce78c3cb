package dev.payproc.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    /** 10,000 answers over 20 s, log-normal around 2 ms with a tail, a few 503s. */
    static RunData synthetic(String title, double scale) {
        Histogram latency = new Histogram(3);
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++)
            latency.recordValue((long) (scale * 2e6 * Math.exp(0.6 * random.nextGaussian())));
        latency.recordValue((long) (scale * 250e6));
        RunSeries series = new RunSeries();
        for (int second = 1; second <= 20; second++)
            series.add(new RunSeries.Sample(second, 500 + 10 * second, scale * (4 + second % 3), second == 7 ? 3 : 0));
        return new RunData(
                title,
                "synthetic",
                20,
                10_001,
                9_998,
                0,
                Map.of("APPROVED", 9_500L, "DECLINED", 498L),
                Map.of("AMOUNT_LIMIT", 498L),
                Map.of("HTTP 503", 3L),
                List.of("client (this harness) 1.00 s"),
                latency,
                series.samples());
    }

    @Test
    void writesASelfContainedHtmlReportAndPngCharts(@TempDir Path dir) throws IOException {
        RunData run = synthetic("full: closed model, 256 streams", 1);
        List<Path> written = RunReport.write(run, dir.resolve("full.hgrm"));

        assertEquals(
                List.of(
                        dir.resolve("full.html"),
                        dir.resolve("full-percentiles.png"),
                        dir.resolve("full-timeline.png")),
                written);
        String html = Files.readString(written.get(0));
        assertTrue(html.contains("<td>answers/s</td><td>500</td>"), "throughput");
        assertTrue(html.contains("<td>p99 ms</td><td>" + RunData.ms(run.millis(99)) + "</td>"), "p99");
        assertTrue(html.contains("<td>HTTP 503</td><td>3</td>"), "errors by status");
        assertTrue(html.contains("<td>APPROVED</td><td>9,500</td><td>95.02 %</td>"), "outcome mix");
        assertEquals(2, html.split("<svg", -1).length - 1, "percentile distribution and timeline, inlined");
        assertTrue(html.contains(">99.9%<") || html.contains("99.9%"), "percentile axis labels");
        assertFalse(html.contains("<script") || html.contains("src=") || html.contains("<link"), "nothing to fetch");
        for (Path png : written.subList(1, 3)) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " is a PNG");
            assertTrue(image.getWidth() > 0 && image.getHeight() > 0);
        }
    }

    @Test
    void aRunSurvivesItsJsonRoundTrip(@TempDir Path dir) throws IOException {
        RunData run = synthetic("ceiling", 0.1);
        run.write(dir.resolve("run.json"));
        RunData back = RunData.read(dir.resolve("run.json"));
        assertEquals(run.column(), back.column());
        assertEquals(run.latency(), back.latency());
        assertEquals(run.series(), back.series());
        assertEquals(run.outcomes(), back.outcomes());
        assertEquals(run.notes(), back.notes());
    }

    @Test
    void theSeriesIsBounded() {
        RunSeries series = new RunSeries();
        for (int i = 0; i < RunSeries.MAX_SAMPLES + 10; i++) series.add(new RunSeries.Sample(i, 1, 1, 0));
        assertEquals(RunSeries.MAX_SAMPLES, series.samples().size());
    }

    @Test
    void percentileAxisLabels() {
        List<String> labels = new ArrayList<>();
        for (double x : new double[] {1, 2, 10, 100, 1000, 100_000}) labels.add(Charts.percentile(x));
        assertEquals(List.of("0%", "50%", "90%", "99%", "99.9%", "99.999%"), labels);
    }
}
