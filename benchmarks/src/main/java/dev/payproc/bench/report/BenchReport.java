package dev.payproc.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * scripts/bench.sh's combined report: the HTTP/2 ceiling (harness and h2load) and the full path side by side, with
 * their ratios, from the runs' JSON files and h2load's output in the bench directory.
 * Usage: {@code BenchReport DIR [BEST_OPEN_RATE]}; writes DIR/report.html and DIR/report-percentiles.png.
 */
public final class BenchReport {
    private BenchReport() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Optional<RunData> ceiling = run(dir, "ceiling");
        Optional<RunData> full = run(dir, "full");
        Optional<RunData> open = args.length > 1 && !args[1].isBlank() && !args[1].equals("0")
                ? run(dir, "full-open-" + args[1])
                : Optional.empty();
        Path h2loadOut = dir.resolve("h2load.txt");
        Optional<H2load> h2load =
                Files.exists(h2loadOut) ? H2load.parse(Files.readString(h2loadOut)) : Optional.empty();

        List<RunData> runs = new ArrayList<>();
        List<HtmlReport.Column> table = new ArrayList<>();
        ceiling.ifPresent(r -> add(runs, table, r));
        h2load.ifPresent(h -> table.add(h.column("ceiling: h2load")));
        full.ifPresent(r -> add(runs, table, r));
        open.ifPresent(r -> add(runs, table, r));
        if (runs.isEmpty()) throw new IllegalStateException("no run's JSON in " + dir);

        List<String> ratios = new ArrayList<>();
        if (ceiling.isPresent() && full.isPresent())
            ratios.add(ratio(
                    "full path / HTTP/2 ceiling (harness)",
                    full.get().throughput(),
                    ceiling.get().throughput()));
        if (h2load.isPresent() && full.isPresent())
            ratios.add(ratio(
                    "full path / HTTP/2 ceiling (h2load)",
                    full.get().throughput(),
                    h2load.get().rate()));
        if (h2load.isPresent() && ceiling.isPresent())
            ratios.add(ratio(
                    "harness / h2load on the ceiling",
                    ceiling.get().throughput(),
                    h2load.get().rate()));
        if (open.isPresent() && full.isPresent())
            ratios.add(ratio(
                    "open-model rate within the p99 target / full-path maximum",
                    open.get().throughput(),
                    full.get().throughput()));

        Path html = dir.resolve("report.html");
        Path png = dir.resolve("report-percentiles.png");
        Files.writeString(
                html,
                HtmlReport.render(
                        "payproc bench: HTTP/2 ceiling and full durable path",
                        "scripts/bench.sh, " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", "
                                + Runtime.getRuntime().availableProcessors()
                                + " cores. Every run has its own report beside this one (NAME.html).",
                        table,
                        ratios,
                        runs));
        PngCharts.write(Charts.percentiles("Latency by percentile: HTTP/2 ceiling and full path", runs), png);
        System.out.println("report: " + html.toAbsolutePath());
        System.out.println("chart:  " + png.toAbsolutePath());
    }

    private static void add(List<RunData> runs, List<HtmlReport.Column> table, RunData run) {
        runs.add(run);
        table.add(run.column());
    }

    private static Optional<RunData> run(Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".json");
        return Files.exists(file) ? Optional.of(RunData.read(file)) : Optional.empty();
    }

    static String ratio(String what, double a, double b) {
        return String.format(Locale.ROOT, "%s: %.2f", what, a / b);
    }
}
