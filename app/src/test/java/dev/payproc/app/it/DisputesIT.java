package dev.payproc.app.it;

import static dev.payproc.testkit.Asserts.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Disputes and complaints over HTTP/2 against real PostgreSQL: every transition with its postings, every illegal one
 * with its sentence, every bad input, idempotency, visibility per merchant, the feed, reconciliation and the seals.
 */
class DisputesIT extends ProcessorIT {
    private DisputeCalls calls;

    @Override
    protected Map<String, String> env() {
        return Map.of("FEE_SCHEDULE", "{\"disputeFees\": {\"EUR\": 1500}}");
    }

    private DisputeCalls calls() {
        if (calls == null) calls = new DisputeCalls(app);
        return calls;
    }

    private String sale(long amount) {
        return calls().authorize(Bodies.valid(Bodies.freshPan()).put("amount", amount));
    }

    private long paymentRow(String column, String paymentId) {
        return db.count("SELECT " + column + " FROM payments WHERE id = $1", paymentId);
    }

    @Test
    void aDisputeWonReturnsTheMoneyToTheMerchant() {
        String id = sale(10_000);
        long before = calls().payable("EUR");
        H2Client.Response opened = calls().open(id, 4_000L);
        assertEquals(201, opened.status(), opened.body());
        JsonObject d = opened.json();
        assertEquals("OPEN", d.getString("status"));
        assertEquals(4_000, d.getLong("amount"));
        assertEquals("40.00", d.getString("amountDecimal"));
        assertEquals(2, d.getInteger("exponent"));
        assertEquals(id, d.getString("paymentId"));
        assertEquals(before - 4_000, calls().payable("EUR"), "the disputed amount leaves the payable at once");

        JsonObject payment = calls().payment(id);
        assertEquals(4_000, payment.getLong("disputedAmount"));
        assertEquals("40.00", payment.getJsonObject("decimal").getString("disputed"));
        assertEquals(
                d.getString("id"),
                payment.getJsonArray("disputes").getJsonObject(0).getString("id"));
        assertEquals("APPROVED", payment.getString("status"), "a dispute leaves the payment's status as it was");

        H2Client.Response evidence = calls().evidence(d.getString("id"), "signed receipt attached");
        assertEquals(200, evidence.status(), evidence.body());
        assertEquals("EVIDENCE_SUBMITTED", evidence.json().getString("status"));
        assertEquals(
                "receipt.pdf",
                evidence.json()
                        .getJsonObject("evidence")
                        .getJsonArray("files")
                        .getJsonObject(0)
                        .getString("name"));

        H2Client.Response won = calls().outcome(d.getString("id"), "won");
        assertEquals(200, won.status(), won.body());
        assertEquals("WON", won.json().getString("status"));
        assertEquals(0, won.json().getLong("fee"));
        assertEquals(before, calls().payable("EUR"), "won: the money is the merchant's again");
        assertEquals(0, paymentRow("disputed_amount", id));

        List<String> types = new ArrayList<>();
        for (Object o : calls().payment(id).getJsonArray("events")) {
            JsonObject e = (JsonObject) o;
            types.add(e.getString("type") + " " + e.getLong("amount"));
        }
        assertEquals(
                List.of("AUTHORIZATION 10000", "DISPUTE_OPENED 4000", "DISPUTE_EVIDENCE 4000", "DISPUTE_WON 4000"),
                types);
        assertEquals(
                0,
                db.count(
                        "SELECT coalesce(sum(CASE direction WHEN 'C' THEN amount ELSE -amount END), 0) FROM postings"
                                + " WHERE payment_id = $1 AND account = 'dispute'",
                        id),
                "the dispute account is empty once decided");
        calls().assertBooksIntact();
    }

    @Test
    void aDisputeLostGoesBackToTheCardholderWithTheFee() {
        String id = sale(10_000);
        long before = calls().payable("EUR");
        String dispute = calls().opened(id, 6_000);
        H2Client.Response lost = calls().outcome(dispute, "lost");
        assertEquals(200, lost.status(), lost.body());
        assertEquals("LOST", lost.json().getString("status"));
        assertEquals(1_500, lost.json().getLong("fee"));
        assertTrue(lost.json().getString("closedAt") != null);
        assertEquals(before - 6_000 - 1_500, calls().payable("EUR"));
        assertEquals(6_000, paymentRow("disputed_amount", id), "a lost dispute still holds its part of the capture");
        assertEquals(
                6_000,
                db.count(
                        "SELECT sum(amount) FROM postings WHERE payment_id = $1 AND account = 'cardholder_funding'"
                                + " AND direction = 'C'",
                        id));
        assertEquals(
                1_500,
                db.count("SELECT sum(amount) FROM postings WHERE payment_id = $1 AND account = 'fee_income'", id));
        // What is left of the capture can still be refunded, no more.
        assertError(calls().op(id, "refunds", "{\"amount\":4001}"), 409, "invalid_state", null);
        assertEquals(201, calls().op(id, "refunds", "{\"amount\":4000}").status());
        calls().assertBooksIntact();
    }

    @Test
    void aMerchantAcceptsADispute() {
        String id = sale(5_000);
        String dispute = calls().opened(id, 5_000);
        H2Client.Response accepted = calls().accept(dispute);
        assertEquals(200, accepted.status(), accepted.body());
        assertEquals("ACCEPTED", accepted.json().getString("status"));
        assertEquals(1_500, accepted.json().getLong("fee"));
        assertEquals("DISPUTE_ACCEPTED", lastEventType(id));
        calls().assertBooksIntact();
    }

    private String lastEventType(String paymentId) {
        JsonArray events = calls().payment(paymentId).getJsonArray("events");
        return events.getJsonObject(events.size() - 1).getString("type");
    }

    private static void assertRefused(H2Client.Response r, String sentence) {
        assertError(r, 409, "invalid_state", null);
        assertEquals(sentence, r.json().getString("message"));
    }

    @Test
    void illegalTransitionsSayWhy() {
        String manual = calls().authorize(
                        Bodies.valid(Bodies.freshPan()).put("amount", 900).put("capture", "MANUAL"));
        assertRefused(calls().open(manual, 100L), "a APPROVED payment has no captured money to dispute");
        assertEquals(200, calls().op(manual, "void", null).status());
        assertRefused(calls().open(manual, 100L), "a VOIDED payment has no captured money to dispute");
        String declined = sale(2_000_000);
        assertRefused(calls().open(declined, 100L), "a DECLINED payment has no captured money to dispute");

        String id = sale(1_000);
        assertEquals(201, calls().op(id, "refunds", "{\"amount\":300}").status());
        assertRefused(
                calls().open(id, 701L),
                "cannot dispute 701: only 700 of the captured 1000 remains (300 refunded, 0 already disputed)");
        String dispute = calls().opened(id, 500);
        assertRefused(
                calls().op(id, "refunds", "{\"amount\":201}"),
                "cannot refund 201: only 200 of the captured 1000 remains (500 is held by disputes)");
        assertRefused(
                calls().open(id, 201L),
                "cannot dispute 201: only 200 of the captured 1000 remains (300 refunded, 500 already disputed)");
        assertEquals(201, calls().op(id, "refunds", "{\"amount\":200}").status());
        assertRefused(
                calls().op(id, "refunds", null),
                "nothing is left to refund: of the captured 1000, 500 is refunded and 500 is held by disputes");
        assertRefused(
                calls().open(id, null),
                "nothing of the captured 1000 remains to dispute (500 refunded, 500 already disputed)");

        assertEquals(200, calls().evidence(dispute, "first").status());
        assertRefused(calls().evidence(dispute, "second"), "evidence was already submitted for this dispute");
        assertEquals(200, calls().accept(dispute).status());
        assertRefused(calls().accept(dispute), "the dispute is already accepted");
        assertRefused(
                calls().outcome(dispute, "won"),
                "the merchant accepted this dispute: it is settled as lost and takes no outcome");

        String decided = calls().opened(sale(800), 800);
        assertEquals(200, calls().outcome(decided, "won").status());
        assertRefused(calls().outcome(decided, "lost"), "the dispute already has its outcome: WON");
        assertRefused(calls().accept(decided), "the dispute is already WON and cannot be accepted");
        assertRefused(
                calls().evidence(decided, "late"), "the dispute is already WON: evidence can no longer be submitted");

        String accepted = calls().opened(sale(800), 300);
        assertEquals(200, calls().accept(accepted).status());
        assertRefused(
                calls().evidence(accepted, "late"),
                "the merchant accepted this dispute: evidence can no longer be submitted");

        String overdue = calls().opened(sale(800), 300);
        db.query("UPDATE disputes SET due_date = current_date - 1 WHERE id = $1", overdue);
        String due = db.query("SELECT due_date::text FROM disputes WHERE id = $1", overdue)
                .iterator()
                .next()
                .getString(0);
        assertRefused(calls().evidence(overdue, "late"), "the evidence was due by " + due + " and that day has passed");
        assertEquals(
                200, calls().outcome(overdue, "lost").status(), "past its due date a dispute still takes its outcome");

        assertError(calls().open("pay_00000000000000000000000000", 1L), 404, "not_found", null);
        assertError(calls().outcome("dsp_nope", "won"), 404, "not_found", null);
        assertError(calls().evidence("dsp_nope", "x"), 404, "not_found", null);
        calls().assertBooksIntact();
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        String id = sale(1_000);
        String path = "/admin/payments/" + id + "/disputes";
        String due = DisputeCalls.dueIn(5);
        assertError(
                calls().admin(path, "{\"amount\":5,\"dueDate\":\"" + due + "\"}"),
                400,
                "invalid_request",
                "reasonCode");
        assertError(calls().admin(path, DisputeCalls.opening("10 4", 5L, due)), 400, "invalid_request", "reasonCode");
        assertError(
                calls().admin(path, DisputeCalls.opening("x".repeat(33), 5L, due)),
                400,
                "invalid_request",
                "reasonCode");
        assertError(calls().admin(path, DisputeCalls.opening("10.4", 0L, due)), 400, "invalid_request", "amount");
        assertError(calls().admin(path, DisputeCalls.opening("10.4", -3L, due)), 400, "invalid_request", "amount");
        assertError(
                calls().admin(path, "{\"reasonCode\":\"10.4\",\"amount\":1.5,\"dueDate\":\"" + due + "\"}"),
                400,
                "invalid_request",
                "amount");
        assertError(
                calls().admin(path, "{\"reasonCode\":\"10.4\",\"amount\":\"5\",\"dueDate\":\"" + due + "\"}"),
                400,
                "invalid_request",
                "amount");
        assertError(
                calls().admin(path, DisputeCalls.opening("10.4", 1_000_000_000_000L, due)),
                400,
                "invalid_request",
                "amount");
        assertError(calls().admin(path, "{\"reasonCode\":\"10.4\"}"), 400, "invalid_request", "dueDate");
        assertError(
                calls().admin(path, DisputeCalls.opening("10.4", 5L, "2030-13-01")), 400, "invalid_request", "dueDate");
        assertError(
                calls().admin(path, DisputeCalls.opening("10.4", 5L, DisputeCalls.dueIn(-1))),
                400,
                "invalid_request",
                "dueDate");
        assertError(
                calls().admin(path, "{\"reasonCode\":\"10.4\",\"dueDate\":\"" + due + "\",\"extra\":1}"),
                400,
                "invalid_request",
                "extra");
        assertError(calls().admin(path, "{not json"), 400, "invalid_request", null);
        assertError(calls().admin(path, "[1]"), 400, "invalid_request", null);
        assertError(
                calls().admin(path, DisputeCalls.opening("10.4", 5L, due), null),
                400,
                "invalid_request",
                "Idempotency-Key");
        assertError(
                calls().admin(path, DisputeCalls.opening("10.4", 5L, due), "bad key!"),
                400,
                "invalid_request",
                "Idempotency-Key");

        String dispute = calls().opened(id, 100);
        String outcome = "/admin/disputes/" + dispute + "/outcome";
        assertError(calls().admin(outcome, "{\"outcome\":\"draw\"}"), 400, "invalid_request", "outcome");
        assertError(calls().admin(outcome, "{}"), 400, "invalid_request", "outcome");
        assertError(calls().admin(outcome, "{\"outcome\":\"won\",\"why\":1}"), 400, "invalid_request", "why");

        String evidence = "/v1/disputes/" + dispute + "/evidence";
        assertError(calls().merchant(evidence, "{}"), 400, "invalid_request", "text");
        assertError(calls().merchant(evidence, "{\"text\":5}"), 400, "invalid_request", "text");
        assertError(
                calls().merchant(
                                evidence,
                                new JsonObject().put("text", "x".repeat(4001)).encode()),
                400,
                "invalid_request",
                "text");
        JsonArray tooMany = new JsonArray();
        for (int i = 0; i < 11; i++)
            tooMany.add(new JsonObject().put("name", "f" + i).put("reference", "r" + i));
        assertError(
                calls().merchant(
                                evidence, new JsonObject().put("files", tooMany).encode()),
                400,
                "invalid_request",
                "files");
        assertError(
                calls().merchant(evidence, "{\"files\":[{\"name\":\"a\"}]}"),
                400,
                "invalid_request",
                "files[0].reference");
        assertError(
                calls().merchant(evidence, "{\"files\":[{\"name\":\"a\",\"reference\":\"b\",\"size\":1}]}"),
                400,
                "invalid_request",
                "files[0].size");
        assertError(
                calls().merchant(
                                evidence,
                                new JsonObject()
                                        .put(
                                                "files",
                                                new JsonArray()
                                                        .add(new JsonObject()
                                                                .put("name", "a")
                                                                .put("reference", "r".repeat(501))))
                                        .encode()),
                400,
                "invalid_request",
                "files[0].reference");
        assertError(calls().merchant(evidence, "{\"text\":\"x\"}", null), 400, "invalid_request", "Idempotency-Key");
        assertError(
                calls().merchant("/v1/disputes/" + dispute + "/accept", "{\"now\":true}"),
                400,
                "invalid_request",
                "now");
        assertError(calls().merchantGet("/v1/disputes?status=PENDING"), 400, "invalid_request", "status");
        assertError(calls().adminGet("/admin/disputes?status=open"), 400, "invalid_request", "status");
        assertError(calls().merchantGet("/v1/complaints?status=SHUT"), 400, "invalid_request", "status");
        assertError(
                calls().merchant("/v1/payments/" + id + "/complaints", "{\"reason\":\"Not Received\"}"),
                400,
                "invalid_request",
                "reason");
        assertError(
                calls().merchant(
                                "/v1/payments/" + id + "/complaints",
                                new JsonObject()
                                        .put("reason", "fraud")
                                        .put("description", "x".repeat(4001))
                                        .encode()),
                400,
                "invalid_request",
                "description");
        assertEquals(
                "OPEN", calls().adminGet("/admin/disputes/" + dispute).json().getString("status"), "nothing changed");
    }

    @Test
    void stepsAreIdempotentPerKey() {
        String id = sale(2_000);
        String path = "/admin/payments/" + id + "/disputes";
        String body = DisputeCalls.opening("4837", 700L, DisputeCalls.dueIn(3));
        String key = "open-" + UUID.randomUUID();
        H2Client.Response first = calls().admin(path, body, key);
        H2Client.Response again = calls().admin(path, body, key);
        assertEquals(201, first.status(), first.body());
        assertEquals(200, again.status());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.body(), again.body());
        assertError(
                calls().admin(path, DisputeCalls.opening("4837", 701L, DisputeCalls.dueIn(3)), key),
                409,
                "idempotency_conflict",
                null);
        assertEquals(1, db.count("SELECT count(*) FROM disputes WHERE payment_id = $1", id));
        assertEquals(700, paymentRow("disputed_amount", id));

        String dispute = first.json().getString("id");
        String accept = "acc-" + UUID.randomUUID();
        assertEquals(
                200,
                calls().merchant("/v1/disputes/" + dispute + "/accept", null, accept)
                        .status());
        H2Client.Response replay = calls().merchant("/v1/disputes/" + dispute + "/accept", null, accept);
        assertEquals(200, replay.status());
        assertEquals("true", replay.header("Idempotent-Replayed"));
        // A merchant's key and an admin key of the same text are different keys.
        assertEquals(
                201,
                calls().admin(path, DisputeCalls.opening("4837", 100L, DisputeCalls.dueIn(3)), accept)
                        .status());
        calls().assertBooksIntact();
    }

    @Test
    void aMerchantSeesOnlyItsOwnDisputes() {
        String id = sale(1_500);
        String dispute = calls().opened(id, 1_500);
        String otherKey = app.otherMerchantKey();
        Map<String, String> other = TestProcessor.headers(otherKey, "o-" + UUID.randomUUID());
        assertError(app.client().get("/v1/disputes/" + dispute, other), 404, "not_found", null);
        assertTrue(app.client()
                .get("/v1/disputes", other)
                .json()
                .getJsonArray("disputes")
                .isEmpty());
        assertError(
                app.client().send(HttpMethod.POST, "/v1/disputes/" + dispute + "/accept", other, null),
                404,
                "not_found",
                null);
        assertError(
                app.client()
                        .send(HttpMethod.POST, "/v1/payments/" + id + "/complaints", other, "{\"reason\":\"fraud\"}"),
                404,
                "not_found",
                null);
        assertError(app.client().get("/v1/disputes", Map.of()), 401, "unauthenticated", null);
        assertError(
                app.client().get("/admin/disputes", Map.of("Authorization", "Bearer " + TestProcessor.API_KEY)),
                401,
                "unauthenticated",
                null);

        JsonArray mine = calls().merchantGet("/v1/disputes?status=OPEN").json().getJsonArray("disputes");
        assertTrue(mine.stream().anyMatch(o -> ((JsonObject) o).getString("id").equals(dispute)));
        for (Object o : mine) assertEquals("OPEN", ((JsonObject) o).getString("status"));
        assertEquals(
                dispute, calls().merchantGet("/v1/disputes/" + dispute).json().getString("id"));
        JsonArray all = calls().adminGet("/admin/disputes?merchantId=" + TestProcessor.MERCHANT)
                .json()
                .getJsonArray("disputes");
        assertTrue(all.stream().anyMatch(o -> ((JsonObject) o).getString("id").equals(dispute)));
    }

    @Test
    void complaintsAreRecordedListedAndEscalated() {
        String id = sale(3_000);
        H2Client.Response byMerchant = calls().merchant(
                        "/v1/payments/" + id + "/complaints",
                        new JsonObject()
                                .put("reason", "not_received")
                                .put("description", "parcel never came")
                                .encode());
        assertEquals(201, byMerchant.status(), byMerchant.body());
        assertEquals("merchant", byMerchant.json().getString("source"));
        assertEquals("OPEN", byMerchant.json().getString("status"));
        String key = "cmp-" + UUID.randomUUID();
        H2Client.Response bySupport =
                calls().admin("/admin/payments/" + id + "/complaints", "{\"reason\":\"fraud\"}", key);
        assertEquals(201, bySupport.status(), bySupport.body());
        assertEquals("support", bySupport.json().getString("source"));
        H2Client.Response replay =
                calls().admin("/admin/payments/" + id + "/complaints", "{\"reason\":\"fraud\"}", key);
        assertEquals(200, replay.status());
        assertEquals(bySupport.body(), replay.body());
        assertError(
                calls().admin("/admin/payments/" + id + "/complaints", "{\"reason\":\"other\"}", key),
                409,
                "idempotency_conflict",
                null);
        assertError(
                calls().admin("/admin/payments/pay_00000000000000000000000000/complaints", "{\"reason\":\"fraud\"}"),
                404,
                "not_found",
                null);

        String complaint = bySupport.json().getString("id");
        assertTrue(calls().merchantGet("/v1/complaints?status=OPEN").json().getJsonArray("complaints").stream()
                .anyMatch(o -> ((JsonObject) o).getString("id").equals(complaint)));
        H2Client.Response escalated = calls().admin(
                        "/admin/complaints/" + complaint + "/escalate",
                        DisputeCalls.opening("10.4", null, DisputeCalls.dueIn(7)));
        assertEquals(201, escalated.status(), escalated.body());
        assertEquals(3_000, escalated.json().getLong("amount"), "without an amount, all that remains is disputed");
        assertEquals(complaint, escalated.json().getString("complaintId"));
        JsonArray listed =
                calls().adminGet("/admin/complaints?status=ESCALATED").json().getJsonArray("complaints");
        JsonObject c = (JsonObject) listed.stream()
                .filter(o -> ((JsonObject) o).getString("id").equals(complaint))
                .findFirst()
                .orElseThrow();
        assertEquals(escalated.json().getString("id"), c.getString("disputeId"));
        assertRefused(
                calls().admin(
                                "/admin/complaints/" + complaint + "/escalate",
                                DisputeCalls.opening("10.4", 1L, DisputeCalls.dueIn(7))),
                "the complaint was already escalated into dispute "
                        + escalated.json().getString("id"));
        assertError(
                calls().admin(
                                "/admin/complaints/cmp_nope/escalate",
                                DisputeCalls.opening("10.4", 1L, DisputeCalls.dueIn(7))),
                404,
                "not_found",
                null);
        String audit = calls().adminGet("/admin/audit?limit=20").body();
        assertTrue(audit.contains("complaint.escalated") && audit.contains("complaint.recorded"), audit);
        calls().assertBooksIntact();
    }

    @Test
    void disputeStepsAreFeedEventsAndAudited() {
        String id = sale(1_200);
        String dispute = calls().opened(id, 1_200);
        assertEquals(200, calls().outcome(dispute, "lost").status());
        List<String> types = new ArrayList<>();
        String cursor = "0";
        boolean more = true;
        while (more) {
            JsonObject page = calls().merchantGet("/v1/events?after=" + cursor + "&limit=1000")
                    .json();
            for (Object o : page.getJsonArray("events")) {
                JsonObject e = (JsonObject) o;
                if (e.getString("paymentId").equals(id)) types.add(e.getString("type") + " " + e.getLong("amount"));
            }
            cursor = Long.toString(page.getLong("next"));
            more = page.getBoolean("more");
        }
        assertEquals(List.of("AUTHORIZATION 1200", "DISPUTE_OPENED 1200", "DISPUTE_LOST 1200"), types);
        String audit = calls().adminGet("/admin/audit?limit=50").body();
        assertTrue(
                audit.contains("dispute.opened") && audit.contains("dispute.lost") && audit.contains(dispute), audit);
    }

    @Test
    void racingRefundsAndDisputesNeverExceedTheCapturedAmount() {
        String id = sale(1_000);
        List<Future<H2Client.Response>> racing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            boolean dispute = i % 2 == 0;
            Map<String, String> h = dispute
                    ? Map.of(
                            "Authorization", "Bearer " + TestProcessor.ADMIN_KEY,
                            "Content-Type", "application/json",
                            "Idempotency-Key", "r-" + UUID.randomUUID())
                    : TestProcessor.headers(TestProcessor.API_KEY, "r-" + UUID.randomUUID());
            racing.add(app.client()
                    .sendAsync(
                            HttpMethod.POST,
                            dispute ? "/admin/payments/" + id + "/disputes" : "/v1/payments/" + id + "/refunds",
                            h,
                            dispute ? DisputeCalls.opening("10.4", 300L, DisputeCalls.dueIn(2)) : "{\"amount\":300}"));
        }
        Map<Integer, Integer> byStatus = new HashMap<>();
        for (Future<H2Client.Response> f : racing)
            byStatus.merge(Await.result(f).status(), 1, Integer::sum);
        assertEquals(3, byStatus.getOrDefault(201, 0), byStatus.toString());
        assertEquals(7, byStatus.getOrDefault(409, 0), byStatus.toString());
        assertEquals(900, paymentRow("refunded_amount", id) + paymentRow("disputed_amount", id));
        calls().assertBooksIntact();
    }

    @Test
    void theDatabaseRefusesMoreDisputedThanCaptured() {
        String id = sale(1_000);
        calls().opened(id, 600);
        RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(
                RuntimeException.class, () -> db.query("UPDATE payments SET refunded_amount = 500 WHERE id = $1", id));
        assertTrue(refused.getMessage().contains("payments_refunds_and_disputes"), refused.getMessage());
        assertEquals(0, paymentRow("refunded_amount", id));
    }

    private java.util.Set<String> problems() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Object o : calls().adminGet("/admin/reconciliation").json().getJsonArray("problems"))
            out.add(((JsonObject) o).getString("check") + " " + ((JsonObject) o).getString("id"));
        return out;
    }

    @Test
    void reconciliationFindsADisputeRowThatDisagreesWithItsEvents() {
        String id = sale(1_000);
        String dispute = calls().opened(id, 400);
        assertEquals(200, calls().outcome(dispute, "lost").status());
        try {
            db.query("UPDATE disputes SET status = 'WON' WHERE id = $1", dispute);
            assertTrue(
                    problems().contains("disputes_vs_events " + id), problems().toString());
        } finally {
            db.query("UPDATE disputes SET status = 'LOST' WHERE id = $1", dispute);
        }
        try {
            db.query("UPDATE payments SET disputed_amount = 300 WHERE id = $1", id);
            assertTrue(
                    problems().contains("disputes_vs_events " + id), problems().toString());
        } finally {
            db.query("UPDATE payments SET disputed_amount = 400 WHERE id = $1", id);
        }
        String won = calls().opened(id, 300);
        assertEquals(200, calls().outcome(won, "won").status());
        String leg = "UPDATE posting_rows SET account = $2 WHERE payment_id = $1 AND account = $3"
                + " AND event_seq = (SELECT max(seq) FROM payment_event_rows WHERE payment_id = $1)";
        try {
            db.query(leg, id, "cardholder_funding", "merchant_payable");
            java.util.Set<String> found = problems();
            assertTrue(found.stream().anyMatch(p -> p.startsWith("posting_account_vs_event " + id)), found.toString());
            assertTrue(found.stream().anyMatch(p -> p.startsWith("event_amount_vs_postings " + id)), found.toString());
        } finally {
            db.query(leg, id, "merchant_payable", "cardholder_funding");
        }
        try {
            db.query(
                    "INSERT INTO disputes (id, payment_id, merchant_id, reason_code, amount, currency, status, due_date,"
                            + " opened_at) VALUES ('dsp_orphan', 'pay_gone', 'm-1001', '10.4', 5, 'EUR', 'OPEN', current_date,"
                            + " now())");
            assertTrue(
                    problems().contains("orphan_dispute dsp_orphan"), problems().toString());
        } finally {
            db.query("DELETE FROM disputes WHERE id = 'dsp_orphan'");
        }
        calls().assertBooksIntact();
    }

    @Test
    void disputeStepsAreSealedInTheirChain() {
        String id = sale(900);
        String dispute = calls().opened(id, 900);
        assertEquals(200, calls().outcome(dispute, "won").status());
        assertEquals(
                2,
                db.count(
                        "SELECT count(*) FROM payment_event_rows WHERE payment_id = $1 AND seal_chain = 'disputes'",
                        id));
        String edit = "UPDATE payment_event_rows SET amount = $2 WHERE payment_id = $1 AND type = 'DISPUTE_WON'";
        try {
            db.query(edit, id, 1L);
            H2Client.Response verify = calls().adminGet("/admin/audit/verify");
            assertEquals(409, verify.status(), verify.body());
            assertTrue(verify.body().contains("disputes"), verify.body());
        } finally {
            db.query(edit, id, 900L);
        }
        calls().assertBooksIntact();
    }

    @Test
    void twoProcessesExtendTheOneDisputeChainOneStepAtATime() {
        List<String> payments = new ArrayList<>();
        for (int i = 0; i < 8; i++) payments.add(sale(500 + i));
        try (TestProcessor second = new TestProcessor(db.settings(), env())) {
            List<Future<H2Client.Response>> racing = new ArrayList<>();
            for (int i = 0; i < payments.size(); i++) {
                TestProcessor target = i % 2 == 0 ? app : second;
                racing.add(target.client()
                        .sendAsync(
                                HttpMethod.POST,
                                "/admin/payments/" + payments.get(i) + "/disputes",
                                Map.of(
                                        "Authorization", "Bearer " + TestProcessor.ADMIN_KEY,
                                        "Content-Type", "application/json",
                                        "Idempotency-Key", "two-" + UUID.randomUUID()),
                                DisputeCalls.opening("10.4", 100L, DisputeCalls.dueIn(3))));
            }
            for (Future<H2Client.Response> f : racing) {
                H2Client.Response r = Await.result(f);
                assertEquals(201, r.status(), r.body());
            }
        }
        calls().assertBooksIntact();
    }
}
