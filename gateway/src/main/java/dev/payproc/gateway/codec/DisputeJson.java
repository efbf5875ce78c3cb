package dev.payproc.gateway.codec;

import dev.payproc.core.model.Currencies;
import dev.payproc.core.port.Disputes;
import dev.payproc.core.port.Disputes.Complaint;
import dev.payproc.core.port.Disputes.Dispute;
import dev.payproc.core.port.Disputes.EvidenceFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** Renders disputes and complaints: amounts in minor units with the currency's exponent and as a decimal. */
public final class DisputeJson {
    /** The rendering the dispute desk stores as each step's answer. */
    public static final Disputes.Renderer RENDERER = new Disputes.Renderer() {
        @Override
        public String dispute(Dispute d) {
            return DisputeJson.dispute(d).encode();
        }

        @Override
        public String complaint(Complaint c) {
            return DisputeJson.complaint(c).encode();
        }
    };

    private DisputeJson() {}

    public static JsonObject dispute(Dispute d) {
        JsonObject evidence = null;
        if (d.evidence() != null) {
            JsonArray files = new JsonArray();
            for (EvidenceFile f : d.evidence().files())
                files.add(new JsonObject().put("name", f.name()).put("reference", f.reference()));
            evidence = new JsonObject()
                    .put("text", d.evidence().text())
                    .put("files", files)
                    .put("submittedAt", time(d.evidence().submittedAt()));
        }
        return new JsonObject()
                .put("id", d.id())
                .put("paymentId", d.paymentId())
                .put("merchantId", d.merchantId())
                .put("status", d.status().name())
                .put("reasonCode", d.reasonCode())
                .put("amount", d.amount())
                .put("currency", d.currency())
                .put("exponent", Currencies.exponent(d.currency()))
                .put("amountDecimal", Currencies.decimal(d.amount(), d.currency()))
                .put("fee", d.fee())
                .put("dueDate", d.dueDate().toString())
                .put("evidence", evidence)
                .put("complaintId", d.complaintId())
                .put("openedAt", time(d.openedAt()))
                .put("closedAt", time(d.closedAt()));
    }

    public static JsonObject complaint(Complaint c) {
        return new JsonObject()
                .put("id", c.id())
                .put("paymentId", c.paymentId())
                .put("merchantId", c.merchantId())
                .put("source", c.source())
                .put("reason", c.reason())
                .put("description", c.description())
                .put("status", c.status())
                .put("disputeId", c.disputeId())
                .put("createdAt", time(c.createdAt()))
                .put("resolution", c.resolution())
                .put("closedAt", time(c.closedAt()));
    }

    /** {@code {"disputes": [...]}}. */
    public static String disputes(List<Dispute> disputes) {
        JsonArray out = new JsonArray();
        for (Dispute d : disputes) out.add(dispute(d));
        return new JsonObject().put("disputes", out).encode();
    }

    /** {@code {"complaints": [...]}}. */
    public static String complaints(List<Complaint> complaints) {
        JsonArray out = new JsonArray();
        for (Complaint c : complaints) out.add(complaint(c));
        return new JsonObject().put("complaints", out).encode();
    }

    private static String time(Instant t) {
        return t == null
                ? null
                : PaymentJson.appendTime(new StringBuilder(24), t).toString();
    }
}
