package dev.payproc.bench.faults.verdict;

/**
 * The processor's heap peaks over a run, in MB. Judged is the heap held (in use after a collection), not the used
 * heap: that also counts garbage, as much as the collector lets pile up before it collects (G1 sizes its young
 * generation to its pause goal, not to what the process holds).
 */
public record HeapFigures(long usedPeakMb, long heldPeakMb, long maxMb) {

    public boolean within(long boundMb) {
        return heldPeakMb <= boundMb;
    }

    public String describe(long boundMb) {
        return "heap peak " + heldPeakMb + " MB held after GC (bound " + boundMb + " MB), " + usedPeakMb
                + " MB used, of " + maxMb + " MB";
    }

    public String line() {
        return "heap_peak_mb=" + usedPeakMb + " heap_live_peak_mb=" + heldPeakMb + " heap_max_mb=" + maxMb;
    }

    public static HeapFigures parse(Figures f) {
        return new HeapFigures(f.count("heap_peak_mb"), f.count("heap_live_peak_mb"), f.count("heap_max_mb"));
    }
}
