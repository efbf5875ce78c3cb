package dev.payproc.bench.faults.verdict;

/** The Netty sender's open model: requests never sent, and the most that waited at once on one connection for a stream. */
public record FloodFigures(long unsent, long streamWaitPeak) {

    public String line() {
        return "unsent=" + unsent + " stream_wait_peak=" + streamWaitPeak;
    }

    public static FloodFigures parse(Figures f) {
        return new FloodFigures(f.count("unsent"), f.count("stream_wait_peak"));
    }
}
