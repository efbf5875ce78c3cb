package dev.payproc.bench.jmh;

import dev.payproc.core.metrics.LatencyMetric;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The once-a-second roll of one latency metric ({@link LatencyMetric#roll()}: close the second, slide the 60-second
 * window, publish a snapshot), which the metrics thread does for every stage while the box serves traffic. Each
 * roll closes a second of 3,000 values between 0.1 ms and 1 s, recorded before it and not timed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class MetricsRollBenchmark {
    private final LatencyMetric metric = new LatencyMetric("bench", 60);
    private final SplittableRandom random = new SplittableRandom(3);

    @Setup(Level.Invocation) // a roll takes about a millisecond: the per-invocation setup's own cost is negligible
    public void aSecondOfValues() {
        for (int i = 0; i < 3_000; i++) metric.recordNanos(100_000 + random.nextLong(1_000_000_000L));
    }

    @Benchmark
    public LatencyMetric.Snapshot roll() {
        metric.roll();
        return metric.snapshot();
    }
}
