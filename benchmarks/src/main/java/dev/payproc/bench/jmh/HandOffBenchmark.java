package dev.payproc.bench.jmh;

import dev.payproc.core.stage.HandOff;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MessagePassingQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * The stage hand-off ({@link HandOff}, a bounded JCTools MPSC queue) that every request crosses twice
 * (gateway to risk, risk to settlement). Single-threaded, it gives the bare cost per item of offer + drain,
 * with and without the producer's {@link HandOff#signal()} (a full fence, paid once per request by the
 * gateway), and with a 256-item batch drained at once as the stage threads do under load. The
 * {@code mpsc} group runs one producer (offer + signal, as a gateway event loop does) against one consumer
 * (draining up to 256 per call, as {@code StageThread} does) on two threads: producer ops/s is the
 * hand-off's item throughput, and the consumer's {@code items} counter is items drained per second.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandOffBenchmark {
    /** The production item is a reference to a command; one preallocated object stands in for it. */
    private static final Object ITEM = new Object();

    private static final int BATCH = 256;

    @State(Scope.Thread)
    public static class Local {
        HandOff<Object> handOff;
        long drained;
        MessagePassingQueue.Consumer<Object> sink;

        @Setup
        public void setUp() {
            handOff = new HandOff<>("bench-local", 1024);
            sink = item -> drained++;
        }
    }

    @State(Scope.Group)
    public static class Shared {
        HandOff<Object> handOff;
        long drained;
        MessagePassingQueue.Consumer<Object> sink;

        @Setup(Level.Trial)
        public void setUp() {
            handOff = new HandOff<>("bench-shared", 4096); // MAX_IN_FLIGHT's default
            sink = item -> drained++; // only the consumer thread writes it
        }
    }

    /** Items the consumer drained, reported as a rate next to its drain calls. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Drained {
        public long items;
    }

    @Benchmark
    public int offerDrain(Local s) {
        s.handOff.offer(ITEM);
        return s.handOff.drain(s.sink, 1);
    }

    @Benchmark
    public int offerSignalDrain(Local s) {
        s.handOff.offer(ITEM);
        s.handOff.signal();
        return s.handOff.drain(s.sink, 1);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int offerBatchDrain(Local s) {
        for (int i = 0; i < BATCH; i++) s.handOff.offer(ITEM);
        return s.handOff.drain(s.sink, BATCH);
    }

    @Benchmark
    @Group("mpsc")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void produce(Shared s, Control control) {
        while (!s.handOff.offer(ITEM)) { // full: the gateway would answer 503; here we wait for the consumer
            if (control.stopMeasurement) return;
            Thread.onSpinWait();
        }
        s.handOff.signal();
    }

    @Benchmark
    @Group("mpsc")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int consume(Shared s, Drained d, Control control) {
        int n;
        while ((n = s.handOff.drain(s.sink, BATCH)) == 0) {
            if (control.stopMeasurement) return 0;
            Thread.onSpinWait();
        }
        d.items += n;
        return n;
    }
}
