package dev.payproc.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    /** The end of h2load 1.52's output. */
    static final String H2LOAD = """
            finished in 20.00s, 76872.30 req/s, 3.52MB/s
            requests: 1537446 total, 1537446 started, 1537446 done, 1537440 succeeded, 6 failed, 6 errored, 0 timeout
            status codes: 1537440 2xx, 0 3xx, 0 4xx, 0 5xx
            traffic: 70.41MB (73830000) total, 4.40MB (4613000) headers (space savings 95.33%), 40.99MB (42980000) data
                                 min         max         mean         sd        +/- sd
            time for request:      310us     37.73ms      3.24ms      1.50ms    85.03%
            """;

    @Test
    void readsH2loadsSummary() {
        H2load h = H2load.parse(H2LOAD).orElseThrow();
        assertEquals(new H2load(76872.30, 1537446, 6, 1537440, 0.31, 37.73, 3.24, 1.50), h);
        assertEquals(1500, H2load.millis("1.5s"));
        assertTrue(H2load.parse("connect: Connection refused").isEmpty());
    }

    @Test
    void putsTheCeilingAndTheFullPathSideBySideWithTheirRatios(@TempDir Path dir) throws IOException {
        ReportTest.synthetic("ceiling: closed model, 256 streams", 0.1).write(dir.resolve("ceiling.json"));
        ReportTest.synthetic("full: closed model, 256 streams", 1).write(dir.resolve("full.json"));
        Files.writeString(dir.resolve("h2load.txt"), H2LOAD);

        BenchReport.main(new String[] {dir.toString(), "0"});

        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(
                html.contains(
                        "<th>ceiling: closed model, 256 streams</th><th>ceiling: h2load</th><th>full: closed model, 256 streams</th>"),
                html);
        assertTrue(
                html.contains("<td>answers/s</td><td>500</td><td>76,872</td><td>500</td>"), "throughput side by side");
        assertTrue(html.contains("full path / HTTP/2 ceiling (harness): 1.00"));
        assertTrue(html.contains("full path / HTTP/2 ceiling (h2load): 0.01"));
        assertTrue(html.contains("harness / h2load on the ceiling: 0.01"));
        assertEquals(3, html.split("<svg", -1).length - 1, "one percentile chart, a timeline per harness run");
        assertNotNull(ImageIO.read(dir.resolve("report-percentiles.png").toFile()));
    }
}
