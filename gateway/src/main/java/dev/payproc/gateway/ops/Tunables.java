package dev.payproc.gateway.ops;

import dev.payproc.gateway.auth.RateLimits;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.http.Admission;
import io.vertx.core.json.JsonObject;

/**
 * The settings an SRE may change at run time ({@code GET/PUT /admin/config}): the admission limit (the
 * effective queue capacity, at most the capacity the queues were allocated with), the settlement batch
 * cap, and the per-terminal and per-merchant rate limits. Each takes effect on the next request or batch; validation is all-or-nothing.
 */
public final class Tunables {
    public static final int MAX_RATE = 10_000_000;

    private final Admission admission;
    private final int queueCapacity;
    /** The largest batch the ledger's writers take (theirs to say: a statement's parameters grow with it). */
    private final int maxBatchCap;

    private final RateLimits rateLimits;
    private volatile int settlementBatchCap;

    public Tunables(
            Admission admission, int queueCapacity, int settlementBatchCap, int maxBatchCap, RateLimits rateLimits) {
        this.admission = admission;
        this.queueCapacity = queueCapacity;
        this.maxBatchCap = maxBatchCap;
        this.settlementBatchCap = settlementBatchCap;
        this.rateLimits = rateLimits;
    }

    public int settlementBatchCap() {
        return settlementBatchCap;
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("maxInFlight", admission.limit())
                .put("queueCapacity", queueCapacity)
                .put("merchantAdmissionShare", admission.merchantShare())
                .put("settlementBatchCap", settlementBatchCap)
                .put("terminalRatePerSecond", rateLimits.terminalPerSecond())
                .put("merchantRatePerSecond", rateLimits.merchantPerSecond());
    }

    /** A validated change, described for the audit trail and applied only when asked. */
    public record Change(JsonObject description, Runnable apply) {}

    /** Validates the fields present in {@code change} (all or nothing); nothing changes until {@link Change#apply()}. */
    public Decoded<Change> plan(JsonObject change) {
        Integer inFlight = null;
        Integer batchCap = null;
        Integer terminalRate = null;
        Integer merchantRate = null;
        for (String field : change.fieldNames()) {
            Object v = change.getValue(field);
            switch (field) {
                case "maxInFlight" -> {
                    if (!(v instanceof Integer n) || n < 1 || n > queueCapacity) {
                        return Decoded.invalid(
                                field, "must be an integer from 1 to the queue capacity " + queueCapacity);
                    }
                    inFlight = n;
                }
                case "settlementBatchCap" -> {
                    if (!(v instanceof Integer n) || n < 1 || n > maxBatchCap) {
                        return Decoded.invalid(field, "must be an integer from 1 to " + maxBatchCap);
                    }
                    batchCap = n;
                }
                case "terminalRatePerSecond", "merchantRatePerSecond" -> {
                    if (!(v instanceof Integer n) || n < 0 || n > MAX_RATE) {
                        return Decoded.invalid(field, "must be an integer from 0 (no limit) to " + MAX_RATE);
                    }
                    if (field.startsWith("terminal")) terminalRate = n;
                    else merchantRate = n;
                }
                case "queueCapacity" -> {
                    return Decoded.invalid(field, "is fixed at start (MAX_IN_FLIGHT); change maxInFlight within it");
                }
                case "merchantAdmissionShare" -> {
                    return Decoded.invalid(field, "is fixed at start (MERCHANT_ADMISSION_SHARE)");
                }
                default -> {
                    return Decoded.invalid(field, "unknown setting");
                }
            }
        }
        JsonObject changed = new JsonObject();
        Integer newInFlight = inFlight, newBatchCap = batchCap;
        if (inFlight != null)
            changed.put(
                    "maxInFlight",
                    new JsonObject().put("from", admission.limit()).put("to", inFlight));
        if (batchCap != null)
            changed.put(
                    "settlementBatchCap",
                    new JsonObject().put("from", settlementBatchCap).put("to", batchCap));
        boolean rates = terminalRate != null || merchantRate != null;
        int terminal = terminalRate != null ? terminalRate : rateLimits.terminalPerSecond();
        int merchant = merchantRate != null ? merchantRate : rateLimits.merchantPerSecond();
        if (rates)
            changed.put(
                    "rateLimits",
                    new JsonObject().put("terminalRatePerSecond", terminal).put("merchantRatePerSecond", merchant));
        return Decoded.ok(new Change(changed, () -> {
            if (newInFlight != null) admission.limit(newInFlight);
            if (newBatchCap != null) settlementBatchCap = newBatchCap;
            if (rates) rateLimits.set(terminal, merchant);
        }));
    }
}
