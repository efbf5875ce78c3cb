package dev.payproc.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.HistogramIterationValue;

/** The report's charts, built from runs. */
public final class Charts {
    private Charts() {}

    /**
     * Latency by percentile, HdrHistogram style: x is 1/(1-p) on a log scale, so 90 %, 99 %, 99.9 % ... are evenly
     * spaced and the tail gets as much room as the body; y is log too, as the runs compared differ by orders of magnitude.
     */
    public static Chart percentiles(String title, List<RunData> runs) {
        List<Chart.Line> lines = new ArrayList<>();
        for (RunData run : runs) {
            List<double[]> points = new ArrayList<>();
            for (HistogramIterationValue v : run.latency().percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100;
                if (p >= 1) break; // 1/(1-p) is infinite at the maximum
                points.add(new double[] {1 / (1 - p), Math.max(v.getValueIteratedTo(), 1) / 1e6});
            }
            lines.add(new Chart.Line(
                    String.format(
                            Locale.ROOT,
                            "%s\np50 %s, p99 %s, p99.9 %s ms",
                            run.title(),
                            RunData.ms(run.millis(50)),
                            RunData.ms(run.millis(99)),
                            RunData.ms(run.millis(99.9))),
                    column(points, 0),
                    column(points, 1),
                    false));
        }
        return new Chart(
                title,
                new Chart.Axis("percentile", true, Charts::percentile),
                new Chart.Axis("latency (ms, log scale)", true),
                null,
                lines);
    }

    /** Answers per second (and errors, if any) on the left axis, the p99 of each second's answers on the right. */
    public static Chart timeline(RunData run) {
        List<RunSeries.Sample> samples = run.series();
        double[] t = samples.stream().mapToDouble(RunSeries.Sample::second).toArray();
        List<Chart.Line> lines = new ArrayList<>();
        lines.add(new Chart.Line(
                "answers/s",
                t,
                samples.stream().mapToDouble(RunSeries.Sample::throughput).toArray(),
                false));
        if (run.errorCount() > 0) {
            lines.add(new Chart.Line(
                    "errors/s",
                    t,
                    samples.stream()
                            .mapToDouble(RunSeries.Sample::errorsPerSecond)
                            .toArray(),
                    false));
        }
        lines.add(new Chart.Line(
                "p99 (ms, right axis)",
                t,
                samples.stream().mapToDouble(RunSeries.Sample::p99Millis).toArray(),
                true));
        return new Chart(
                run.title() + ": throughput and p99 per second",
                new Chart.Axis("seconds since the start of the measured phase", false),
                new Chart.Axis("answers/s", false),
                new Chart.Axis("p99 (ms)", false),
                lines);
    }

    /** The percentile at x = 1/(1-p): 1 is 0 %, 10 is 90 %, 1000 is 99.9 %. */
    static String percentile(double x) {
        return new BigDecimal(100 * (1 - 1 / x))
                        .round(new MathContext(6))
                        .stripTrailingZeros()
                        .toPlainString() + "%";
    }

    private static double[] column(List<double[]> points, int i) {
        return points.stream().mapToDouble(p -> p[i]).toArray();
    }
}
