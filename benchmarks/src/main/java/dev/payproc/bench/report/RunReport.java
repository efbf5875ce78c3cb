package dev.payproc.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One harness run's report files, beside its .hgrm: NAME.html, NAME-percentiles.png, NAME-timeline.png and NAME.json. */
public final class RunReport {
    private RunReport() {}

    /** Writes them all; returns the HTML and the PNGs. */
    public static List<Path> write(RunData run, Path hgrm) throws IOException {
        Path dir = hgrm.toAbsolutePath().getParent();
        String name = hgrm.getFileName().toString().replaceFirst("\\.hgrm$", "");
        Path html = dir.resolve(name + ".html");
        Path percentiles = dir.resolve(name + "-percentiles.png");
        Path timeline = dir.resolve(name + "-timeline.png");
        run.write(dir.resolve(name + ".json"));
        Files.writeString(
                html,
                HtmlReport.render(
                        "payproc load test: " + run.title(),
                        run.description(),
                        List.of(run.column()),
                        List.of(),
                        List.of(run)));
        PngCharts.write(Charts.percentiles(run.title() + ": latency by percentile", List.of(run)), percentiles);
        PngCharts.write(Charts.timeline(run), timeline);
        return List.of(html, percentiles, timeline);
    }
}
