package dev.payproc.gateway.ops;

import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.http.Admission;
import io.vertx.core.json.JsonObject;

/**
 * The settings an SRE may change at run time ({@code GET/PUT /admin/config}): the admission limit (the
 * effective queue capacity, at most the capacity the queues were allocated with) and the settlement batch
 * cap. Each takes effect on the next request or batch; validation is all-or-nothing.
 */
public final class Tunables {
    public static final int MAX_BATCH_CAP = 10_000;

    private final Admission admission;
    private final int queueCapacity;
    private volatile int settlementBatchCap;

    public Tunables(Admission admission, int queueCapacity, int settlementBatchCap) {
        this.admission = admission;
        this.queueCapacity = queueCapacity;
        this.settlementBatchCap = settlementBatchCap;
    }

    public int settlementBatchCap() {
        return settlementBatchCap;
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("maxInFlight", admission.limit())
                .put("queueCapacity", queueCapacity)
                .put("settlementBatchCap", settlementBatchCap);
    }

    /** Applies the fields present in {@code change}, or none of them when one is invalid; returns what changed. */
    public Decoded<JsonObject> apply(JsonObject change) {
        Integer inFlight = null;
        Integer batchCap = null;
        for (String field : change.fieldNames()) {
            Object v = change.getValue(field);
            switch (field) {
                case "maxInFlight" -> {
                    if (!(v instanceof Integer n) || n < 1 || n > queueCapacity) {
                        return Decoded.invalid(field, "must be an integer from 1 to the queue capacity " + queueCapacity);
                    }
                    inFlight = n;
                }
                case "settlementBatchCap" -> {
                    if (!(v instanceof Integer n) || n < 1 || n > MAX_BATCH_CAP) {
                        return Decoded.invalid(field, "must be an integer from 1 to " + MAX_BATCH_CAP);
                    }
                    batchCap = n;
                }
                case "queueCapacity" -> {
                    return Decoded.invalid(field, "is fixed at start (MAX_IN_FLIGHT); change maxInFlight within it");
                }
                default -> {
                    return Decoded.invalid(field, "unknown setting");
                }
            }
        }
        JsonObject changed = new JsonObject();
        if (inFlight != null) {
            changed.put("maxInFlight", new JsonObject().put("from", admission.limit()).put("to", inFlight));
            admission.limit(inFlight);
        }
        if (batchCap != null) {
            changed.put("settlementBatchCap", new JsonObject().put("from", settlementBatchCap).put("to", batchCap));
            settlementBatchCap = batchCap;
        }
        return Decoded.ok(changed);
    }
}
