package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import dev.payproc.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random payments (EUR, JPY, KWD; sales and manual captures; capture and dispute fees) through random mixes of
 * capture, refund, dispute, evidence, accept, won and lost over HTTP/2 against the real ledger, legal or not. After
 * every step, from the database itself: the postings balance per currency, each payment's accounts (merchant payable,
 * dispute, cardholder funding, fee income) sum to zero, the dispute account holds exactly its undecided disputes,
 * refunds and disputes never exceed the capture, a refused step changes nothing, the day's report is the ledger's,
 * and reconciliation finds nothing; after each payment, the seals verify.
 */
class DisputePropertiesIT {
    private static TestDatabase db;
    private static TestProcessor app;
    private static DisputeCalls calls;

    record Step(String op, Long amount) {}

    record Scenario(long amount, String currency, String capture, List<Step> steps) {}

    @BeforeContainer
    static void start() {
        db = new TestDatabase();
        app = new TestProcessor(
                db.settings(),
                Map.of("FEE_SCHEDULE", "{\"bps\": 150, \"disputeFees\": {\"EUR\": 1500, \"JPY\": 200, \"KWD\": 900}}"));
        calls = new DisputeCalls(app);
    }

    /** Steps that applied (not refused) per kind, over all tries: a run that tried none of a kind proves nothing of it. */
    private static final Map<String, Integer> applied = new java.util.HashMap<>();

    @AfterContainer
    static void stop() {
        try {
            for (String op : List.of("capture", "refunds", "open", "evidence", "accept", "won", "lost"))
                assertTrue(applied.getOrDefault(op, 0) > 0, op + " never applied: " + applied);
        } finally {
            closeAll();
        }
    }

    private static void closeAll() {
        if (app != null) app.close();
        if (db != null) db.close();
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.of("capture", "refunds", "open", "open", "evidence", "accept", "won", "lost"),
                        Arbitraries.longs().between(1, 6000).injectNull(0.3))
                .as(Step::new);
        return Combinators.combine(
                        Arbitraries.longs().between(1, 5000),
                        Arbitraries.of("EUR", "JPY", "KWD"),
                        Arbitraries.of("AUTO", "MANUAL"),
                        step.list().ofMinSize(1).ofMaxSize(8))
                .as(Scenario::new);
    }

    @Property(tries = 40, seed = "18")
    void moneyIsConservedThroughAnyMixOfStepsOnTheRealLedger(@ForAll("scenarios") Scenario s) {
        String id = calls.authorize(Bodies.valid(Bodies.freshPan())
                .put("amount", s.amount())
                .put("currency", s.currency())
                .put("capture", s.capture()));
        String date = calls.payment(id).getString("createdAt").substring(0, 10);
        List<String> disputes = new ArrayList<>();
        for (Step step : s.steps()) {
            String before = state(id);
            String amount = step.amount() == null ? null : "{\"amount\":" + step.amount() + "}";
            String dispute = disputes.isEmpty()
                    ? "dsp_none"
                    : disputes.get((int) (step.amount() == null ? 0 : step.amount() % disputes.size()));
            H2Client.Response r = switch (step.op()) {
                case "capture", "refunds" -> calls.op(id, step.op(), amount);
                case "open" -> calls.open(id, step.amount());
                case "evidence" -> calls.evidence(dispute, "evidence");
                case "accept" -> calls.accept(dispute);
                default -> calls.outcome(dispute, step.op());
            };
            assertTrue(Set.of(200, 201, 404, 409).contains(r.status()), step + ": " + r.status() + " " + r.body());
            if (r.status() >= 400) assertEquals(before, state(id), step + " refused: nothing changes");
            else applied.merge(step.op(), 1, Integer::sum);
            if (r.status() == 201 && step.op().equals("open"))
                disputes.add(r.json().getString("id"));
            checkInvariants(id, date);
        }
        H2Client.Response verify = calls.adminGet("/admin/audit/verify");
        assertEquals(200, verify.status(), verify.body());
    }

    /** Everything a step may change about a payment, as text. */
    private static String state(String id) {
        Row p = db.query(
                        "SELECT status, captured_amount, refunded_amount, disputed_amount, fee_amount,"
                                + " (SELECT count(*) FROM payment_events e WHERE e.payment_id = p.id),"
                                + " (SELECT string_agg(status || fee, ',' ORDER BY id) FROM disputes d WHERE d.payment_id = p.id)"
                                + " FROM payments p WHERE id = $1",
                        id)
                .iterator()
                .next();
        return p.getString(0) + "/" + p.getLong(1) + "/" + p.getLong(2) + "/" + p.getLong(3) + "/" + p.getLong(4) + "/"
                + p.getLong(5) + "/" + p.getString(6);
    }

    private static void checkInvariants(String id, String date) {
        Row p = db.query("SELECT captured_amount, refunded_amount, disputed_amount FROM payments WHERE id = $1", id)
                .iterator()
                .next();
        long captured = p.getLong(0), refunded = p.getLong(1), disputed = p.getLong(2);
        assertTrue(
                refunded + disputed <= captured, "refunds " + refunded + " + disputes " + disputed + " > " + captured);
        assertEquals(
                disputed,
                db.count(
                        "SELECT coalesce(sum(amount), 0) FROM disputes WHERE payment_id = $1 AND status <> 'WON'", id));
        for (Row r : db.query("SELECT currency, sum(CASE direction WHEN 'D' THEN amount ELSE -amount END) FROM postings"
                + " GROUP BY currency")) {
            assertEquals(0L, r.getLong(1), "ledger unbalanced in " + r.getString(0));
        }
        assertEquals(
                0,
                db.count(
                        "SELECT coalesce(sum(CASE direction WHEN 'D' THEN amount ELSE -amount END), 0) FROM postings"
                                + " WHERE payment_id = $1 AND account IN"
                                + " ('merchant_payable', 'dispute', 'cardholder_funding', 'fee_income')",
                        id),
                "payable + dispute + funding + fees sum to zero");
        assertEquals(
                db.count(
                        "SELECT coalesce(sum(amount), 0) FROM disputes WHERE payment_id = $1"
                                + " AND status IN ('OPEN', 'EVIDENCE_SUBMITTED')",
                        id),
                db.count(
                        "SELECT coalesce(sum(CASE direction WHEN 'C' THEN amount ELSE -amount END), 0) FROM postings"
                                + " WHERE payment_id = $1 AND account = 'dispute'",
                        id),
                "the dispute account holds the undecided disputes");
        JsonObject report = calls.merchantGet("/v1/merchants/" + TestProcessor.MERCHANT + "/settlements?date=" + date)
                .json();
        SettlementNets.assertReportNetsMatchTheLedger(db, report);
        H2Client.Response rec = calls.adminGet("/admin/reconciliation");
        assertEquals(200, rec.status(), rec.body());
    }
}
