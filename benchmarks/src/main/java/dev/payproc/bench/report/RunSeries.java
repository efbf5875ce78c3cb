package dev.payproc.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run did second by second, for the throughput and p99 over time chart. Bounded: beyond
 * {@link #MAX_SAMPLES} (an hour of seconds, far longer than any run here) samples are not kept.
 */
public final class RunSeries {
    public static final int MAX_SAMPLES = 3600;

    /** One interval: its end in seconds since the phase started, answers/s, p99 of the answers in it, errors/s. */
    public record Sample(double second, double throughput, double p99Millis, double errorsPerSecond) {}

    private final List<Sample> samples = new ArrayList<>();

    public void add(Sample sample) {
        if (samples.size() < MAX_SAMPLES) samples.add(sample);
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }
}
