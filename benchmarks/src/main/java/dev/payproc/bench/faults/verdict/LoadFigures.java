package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Figures.oneDecimal;

import java.util.Locale;

/**
 * A load run of the fault driver: its outcomes, the monitor's view of the processor, requests still unanswered at
 * the end, the Netty sender's figures ({@code flood}, null unless it sent the open model), the probe ({@code probe},
 * null unless the run probed its maximum first), and the driver's own CPU and event-loop lag (a late client delays
 * sending and reading, which counts in the client-side latency).
 */
public record LoadFigures(
        OutcomeFigures outcomes,
        MonitorFigures monitor,
        long unfinished,
        FloodFigures flood,
        ProbeFigures probe,
        double driverCores,
        double driverCpuUsPerRequest,
        double driverLagP99Ms) {

    public HeapFigures heap() {
        return monitor.heap();
    }

    public String line() {
        return outcomes.line() + " " + monitor.line() + " unfinished=" + unfinished
                + (flood == null ? "" : " " + flood.line()) + (probe == null ? "" : " " + probe.line())
                + String.format(
                        Locale.ROOT,
                        " driver_cores=%.2f driver_cpu_us_per_request=%s driver_lag_p99_ms=%s",
                        driverCores,
                        oneDecimal(driverCpuUsPerRequest),
                        oneDecimal(driverLagP99Ms));
    }

    public static LoadFigures parse(Figures f) {
        return new LoadFigures(
                OutcomeFigures.parse(f),
                MonitorFigures.parse(f),
                f.count("unfinished"),
                f.has("unsent") ? FloodFigures.parse(f) : null,
                f.has("probed_max") ? ProbeFigures.parse(f) : null,
                f.number("driver_cores"),
                f.number("driver_cpu_us_per_request"),
                f.number("driver_lag_p99_ms"));
    }
}
