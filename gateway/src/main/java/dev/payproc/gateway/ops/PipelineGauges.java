package dev.payproc.gateway.ops;

import dev.payproc.core.pipeline.Command;
import dev.payproc.core.pipeline.SettlementItem;
import dev.payproc.core.stage.HandOff;
import dev.payproc.gateway.http.Admission;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.function.IntSupplier;

/** Reads the pipeline's live levels (queues, admission, database) for /metrics and the SRE console; plain reads, no locks. */
public final class PipelineGauges {
    /** One reading. {@code breakerFailurePercent} is -1 until the breaker has seen enough calls. */
    record Levels(
            int intakeDepth,
            int intakeCapacity,
            int inFlight,
            int inFlightLimit,
            List<Integer> settlementDepths,
            int settlementCapacity,
            String breaker,
            float breakerFailurePercent,
            boolean databaseUp,
            int readPoolOpen,
            int readPoolMax) {
        public int settlementDepth() {
            return settlementDepths.stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final List<HandOff<Command>> intakes;
    private final List<HandOff<SettlementItem>> writers;
    private final Admission admission;
    private final CircuitBreaker breaker;
    private final Readiness readiness;
    private final IntSupplier readPoolOpen;
    private final int readPoolMax;

    public PipelineGauges(
            List<HandOff<Command>> intakes,
            List<HandOff<SettlementItem>> writers,
            Admission admission,
            CircuitBreaker breaker,
            Readiness readiness,
            IntSupplier readPoolOpen,
            int readPoolMax) {
        this.intakes = List.copyOf(intakes);
        this.writers = List.copyOf(writers);
        this.admission = admission;
        this.breaker = breaker;
        this.readiness = readiness;
        this.readPoolOpen = readPoolOpen;
        this.readPoolMax = readPoolMax;
    }

    Levels read() {
        List<Integer> depths = writers.stream().map(HandOff::size).toList();
        return new Levels(
                intakes.stream().mapToInt(HandOff::size).sum(),
                intakes.stream().mapToInt(HandOff::capacity).sum(),
                admission.inFlight(),
                admission.effectiveLimit(),
                depths,
                writers.isEmpty() ? 0 : writers.get(0).capacity(),
                breaker.getState().name(),
                breaker.getMetrics().getFailureRate(),
                readiness.databaseUp(),
                readPoolOpen.getAsInt(),
                readPoolMax);
    }
}
