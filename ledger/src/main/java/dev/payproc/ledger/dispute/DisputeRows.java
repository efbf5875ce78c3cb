package dev.payproc.ledger.dispute;

import dev.payproc.core.model.DisputeStatus;
import dev.payproc.core.port.Disputes.Complaint;
import dev.payproc.core.port.Disputes.Dispute;
import dev.payproc.core.port.Disputes.Evidence;
import dev.payproc.core.port.Disputes.EvidenceFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The disputes and complaints tables' rows as the port's records, and the evidence as its jsonb. */
final class DisputeRows {
    static final String DISPUTE_BY_ID = "SELECT * FROM disputes WHERE id = $1";
    static final String DISPUTES_OF_PAYMENT = "SELECT * FROM disputes WHERE payment_id = $1 ORDER BY opened_at, id";
    static final String DISPUTES = """
            SELECT * FROM disputes WHERE ($1::text IS NULL OR merchant_id = $1) AND ($2::text IS NULL OR status = $2)
            ORDER BY opened_at DESC, id DESC LIMIT $3""";
    static final String COMPLAINTS = """
            SELECT * FROM complaints WHERE ($1::text IS NULL OR merchant_id = $1) AND ($2::text IS NULL OR status = $2)
            ORDER BY created_at DESC, id DESC LIMIT $3""";

    private DisputeRows() {}

    static Dispute dispute(Row r) {
        JsonObject e = (JsonObject) r.getJson("evidence");
        Evidence evidence = null;
        if (e != null) {
            List<EvidenceFile> files = new ArrayList<>();
            for (Object o : e.getJsonArray("files")) {
                JsonObject f = (JsonObject) o;
                files.add(new EvidenceFile(f.getString("name"), f.getString("reference")));
            }
            evidence = new Evidence(e.getString("text"), files, instant(r, "evidence_at"));
        }
        return new Dispute(
                r.getString("id"),
                r.getString("payment_id"),
                r.getString("merchant_id"),
                r.getString("reason_code"),
                r.getLong("amount"),
                r.getString("currency").trim(),
                DisputeStatus.valueOf(r.getString("status")),
                r.getLocalDate("due_date"),
                evidence,
                r.getLong("fee"),
                r.getString("complaint_id"),
                instant(r, "opened_at"),
                instant(r, "closed_at"));
    }

    static List<Dispute> disputes(RowSet<Row> rows) {
        List<Dispute> out = new ArrayList<>(rows.size());
        for (Row r : rows) out.add(dispute(r));
        return out;
    }

    static Complaint complaint(Row r) {
        return new Complaint(
                r.getString("id"),
                r.getString("payment_id"),
                r.getString("merchant_id"),
                r.getString("source"),
                r.getString("reason"),
                r.getString("description"),
                r.getString("status"),
                r.getString("dispute_id"),
                instant(r, "created_at"),
                r.getString("resolution"),
                instant(r, "closed_at"));
    }

    static List<Complaint> complaints(RowSet<Row> rows) {
        List<Complaint> out = new ArrayList<>(rows.size());
        for (Row r : rows) out.add(complaint(r));
        return out;
    }

    static JsonObject evidenceJson(Evidence e) {
        JsonArray files = new JsonArray();
        for (EvidenceFile f : e.files())
            files.add(new JsonObject().put("name", f.name()).put("reference", f.reference()));
        return new JsonObject().put("text", e.text()).put("files", files);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
