package dev.payproc.webhooks;

import dev.payproc.core.port.WebhookStatus;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** This process's delivery counts by outcome and in flight, and the latest database-wide figures. */
public final class WebhookCounters implements WebhookStatus {
    private final Map<DeliveryOutcome, LongAdder> byOutcome = new EnumMap<>(DeliveryOutcome.class);
    private volatile int inFlight;
    private volatile DeliveryLedger.Figures figures = new DeliveryLedger.Figures(0, 0, 0);

    public WebhookCounters() {
        for (DeliveryOutcome o : DeliveryOutcome.values()) byOutcome.put(o, new LongAdder());
    }

    void counted(DeliveryOutcome o) {
        byOutcome.get(o).increment();
    }

    void inFlight(int n) {
        inFlight = n;
    }

    void figures(DeliveryLedger.Figures f) {
        figures = f;
    }

    @Override
    public Snapshot snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        byOutcome.forEach((o, n) -> counts.put(o.label(), n.sum()));
        DeliveryLedger.Figures f = figures;
        return new Snapshot(f.backlog(), f.behind(), f.parked(), inFlight, counts);
    }
}
