package dev.payproc.app.jobs;

import dev.payproc.core.port.AuditTrail;
import dev.payproc.core.port.SealTrail;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Publishes the head of every tamper-evident chain (the admin audit's and each seal chain's) outside the database,
 * without an operator: a log line at INFO, as {@code CHAIN:SEQ:HASH} anchors that {@code GET /admin/audit/verify?anchor=}
 * takes. Whoever later cuts the newest rows or seals off a chain leaves a valid chain behind, but not one that holds
 * the anchors already in the log. The heads are read at most once per interval ({@code AUDIT_ANCHOR_LOG_SECONDS}),
 * and a line is written only when one changed, naming just the chains whose head moved (all of them at start): at most
 * one line per interval, never one per request.
 */
public final class AuditAnchorLog extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(AuditAnchorLog.class.getName());

    private final Supplier<Future<List<SealTrail.Anchor>>> heads;
    private final LongSupplier millis;
    private final long intervalMillis;
    private final Consumer<String> out;
    /** The head of each chain as last published. */
    private final Map<String, SealTrail.Anchor> published = new HashMap<>();

    private boolean reading;
    private boolean readOnce;
    private long lastReadAt;

    public AuditAnchorLog(AuditTrail audit, SealTrail seals, long intervalSeconds) {
        this(() -> heads(audit, seals), System::currentTimeMillis, intervalSeconds * 1000, LOG::info);
    }

    AuditAnchorLog(
            Supplier<Future<List<SealTrail.Anchor>>> heads,
            LongSupplier millis,
            long intervalMillis,
            Consumer<String> out) {
        if (intervalMillis <= 0) throw new IllegalArgumentException("the interval must be positive");
        this.heads = heads;
        this.millis = millis;
        this.intervalMillis = intervalMillis;
        this.out = out;
    }

    private static Future<List<SealTrail.Anchor>> heads(AuditTrail audit, SealTrail seals) {
        return audit.anchor()
                .compose(admin -> seals.anchors().map(sealHeads -> {
                    List<SealTrail.Anchor> all = new ArrayList<>();
                    if (admin != null) all.add(admin);
                    all.addAll(sealHeads);
                    return all;
                }));
    }

    @Override
    public Future<?> start() {
        poll();
        // Ticks finer than the interval, so that a late timer does not stretch it; poll() reads once per interval.
        vertx.setPeriodic(Math.max(1_000, intervalMillis / 10), id -> poll());
        return Future.succeededFuture();
    }

    /**
     * Reads the heads unless they were read less than an interval ago (or a read is still out), and logs the ones that
     * changed since they were last published. Completes with the line written, or null.
     */
    Future<String> poll() {
        long now = millis.getAsLong();
        if (reading || (readOnce && now - lastReadAt < intervalMillis)) return Future.succeededFuture();
        reading = true;
        readOnce = true;
        lastReadAt = now;
        return heads.get()
                .map(this::publish)
                .recover(e -> {
                    LOG.fine("audit anchors not read: " + e);
                    return Future.succeededFuture();
                })
                .onComplete(ar -> reading = false);
    }

    private String publish(List<SealTrail.Anchor> current) {
        List<String> changed = new ArrayList<>();
        for (SealTrail.Anchor a : current) {
            if (!a.equals(published.get(a.chain()))) {
                changed.add(a.chain() + ":" + a.seq() + ":" + a.hash());
                published.put(a.chain(), a);
            }
        }
        if (changed.isEmpty()) return null;
        String line = "audit anchors (" + changed.size() + " of " + current.size()
                + " chains moved; keep them for GET /admin/audit/verify?anchor=): " + String.join(" ", changed);
        out.accept(line);
        return line;
    }
}
