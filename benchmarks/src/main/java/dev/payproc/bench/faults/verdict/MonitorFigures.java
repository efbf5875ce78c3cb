package dev.payproc.bench.faults.verdict;

import static dev.payproc.bench.faults.verdict.Figures.oneDecimal;

/**
 * What the driver's monitor saw of the processor: {@code readyDown} of {@code readySamples} readiness samples taken
 * while the fault was on (but for its edges) answered 503; {@code readyBackMs} from the fault's end to the first 200
 * (-1: none); the heap; the peaks of the admitted requests in flight and of the processor's own end-to-end p99.
 */
public record MonitorFigures(
        long readyDown, long readySamples, long readyBackMs, HeapFigures heap, long inFlightPeak, double serverP99Ms) {

    public String line() {
        return "ready_down=" + readyDown + "/" + readySamples + " ready_back_ms=" + readyBackMs + " " + heap.line()
                + " in_flight_peak=" + inFlightPeak + " server_p99_ms=" + oneDecimal(serverP99Ms);
    }

    public static MonitorFigures parse(Figures f) {
        String ready = f.text("ready_down");
        int slash = ready.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("ready_down is not 503s/samples: " + ready);
        Figures counts = Figures.parse("down=" + ready.substring(0, slash) + " samples=" + ready.substring(slash + 1));
        return new MonitorFigures(
                counts.count("down"),
                counts.count("samples"),
                f.count("ready_back_ms"),
                HeapFigures.parse(f),
                f.count("in_flight_peak"),
                f.number("server_p99_ms"));
    }
}
