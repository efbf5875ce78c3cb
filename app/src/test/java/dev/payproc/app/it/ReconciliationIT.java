package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation checks every event's postings against what its type and amount imply, and each payment's amounts
 * against its events: a clean ledger through every lifecycle (fees configured) has no problem, and each tampering
 * that keeps the books balanced and the old checks (status, captured/refunded/fee vs postings) satisfied is still
 * found, under its own check. Each tampering is undone afterwards, and the whole ledger then reconciles again, so
 * no check reports anything it should not.
 */
class ReconciliationIT extends ProcessorIT {
    @Override
    protected Map<String, String> env() {
        return Map.of(
                "FEE_SCHEDULE", "{\"bps\":150,\"fixed\":{\"EUR\":25}}",
                "AUTH_EXPIRY_SECONDS", "3600",
                "EXPIRY_SWEEP_MS", "200");
    }

    private String pay(long amount, String capture) {
        H2Client.Response r = app.authorize(
                "k-" + UUID.randomUUID(),
                Bodies.valid(Bodies.freshPan())
                        .put("amount", amount)
                        .put("capture", capture)
                        .encode());
        assertEquals(201, r.status(), r.body());
        return r.json().getString("id");
    }

    private JsonObject op(String id, String op, Long amount, int status) {
        H2Client.Response r = app.client()
                .send(
                        HttpMethod.POST,
                        "/v1/payments/" + id + "/" + op,
                        TestProcessor.headers(TestProcessor.API_KEY, "k-" + UUID.randomUUID()),
                        amount == null ? null : "{\"amount\":" + amount + "}");
        assertEquals(status, r.status(), r.body());
        return r.json();
    }

    private H2Client.Response reconcile() {
        return app.client().get("/admin/reconciliation", Map.of("Authorization", "Bearer " + TestProcessor.ADMIN_KEY));
    }

    /** The problems reconciliation finds with this payment, its events or postings: "check id" to detail. */
    private Map<String, String> problems(String paymentId) {
        H2Client.Response r = reconcile();
        Map<String, String> found = new TreeMap<>();
        if (r.status() == 200) return found;
        assertEquals(409, r.status(), r.body());
        for (Object o : r.json().getJsonArray("problems")) {
            JsonObject p = (JsonObject) o;
            String id = p.getString("id");
            if (id.equals(paymentId) || id.startsWith(paymentId + "#"))
                found.put(p.getString("check") + " " + id, p.getString("detail"));
        }
        return found;
    }

    /** Reconciliation finds exactly these problems with the payment; then the tampering is undone, pass or fail. */
    private void assertFound(String paymentId, Set<String> expected, Runnable undo) {
        try {
            Map<String, String> found = problems(paymentId);
            assertEquals(expected, found.keySet(), found.toString());
            for (String detail : found.values()) assertTrue(detail != null && detail.length() > 20, detail);
        } finally {
            undo.run();
        }
    }

    private void assertClean() {
        H2Client.Response r = reconcile();
        assertEquals(200, r.status(), r.body());
        assertTrue(r.json().getBoolean("ok"));
    }

    private String status(String id) {
        return db.query("SELECT status FROM payments WHERE id = $1", id)
                .iterator()
                .next()
                .getString(0);
    }

    @Test
    void aCleanLedgerThroughEveryLifecycleHasNoProblem() throws InterruptedException {
        String sale = pay(10_000, "AUTO");
        op(sale, "refunds", 2_500L, 201);
        String partial = pay(9_000, "MANUAL");
        op(partial, "capture", 6_000L, 200);
        op(partial, "refunds", 1_000L, 201);
        op(partial, "refunds", null, 201);
        String full = pay(4_000, "MANUAL");
        op(full, "capture", null, 200);
        String voided = pay(3_000, "MANUAL");
        op(voided, "void", null, 200);
        String declined = pay(5_000_000, "AUTO");
        assertEquals("DECLINED", status(declined));
        String tiny = pay(20, "AUTO"); // the fixed fee is the whole amount: no merchant_payable leg
        assertEquals(
                0,
                db.count("SELECT count(*) FROM postings WHERE payment_id = $1 AND account = 'merchant_payable'", tiny));
        String expiring = pay(7_000, "MANUAL");
        db.query("UPDATE payments SET created_at = created_at - interval '2 hours' WHERE id = $1", expiring);
        for (int i = 0; i < 150 && !"EXPIRED".equals(status(expiring)); i++) Thread.sleep(100);
        assertEquals("EXPIRED", status(expiring));
        assertEquals("REFUNDED", status(partial));
        assertEquals("PARTIALLY_REFUNDED", status(sale));
        assertEquals("VOIDED", status(voided));
        assertClean();
    }

    @Test
    void aPostingMovedToAnAccountItsEventNeverUsesIsFound() {
        // An auto-capture's legs are generated from its payment row (V16), their accounts implied by the leg number:
        // the tampering is made on the postings of a manual payment's full capture (event 2), which are written rows
        // and book the same legs (cardholder_funding D, merchant_payable and fee_income C) as an auto-capture's.
        String sale = pay(10_000, "MANUAL");
        op(sale, "capture", null, 200);
        // Balanced, captured and fee unchanged: the merchant's share is booked as already paid out.
        db.query(
                "UPDATE posting_rows SET account = 'merchant_settled' WHERE payment_id = $1 AND account = 'merchant_payable'",
                sale);
        // ... and the capture no longer credits merchant_payable + fee_income what it debited.
        assertFound(
                sale,
                Set.of("posting_account_vs_event " + sale + "#2", "event_amount_vs_postings " + sale + "#2"),
                () -> db.query(
                        "UPDATE posting_rows SET account = 'merchant_payable' WHERE payment_id = $1 AND account = 'merchant_settled'",
                        sale));
        assertClean();
    }

    @Test
    void postingsOfAnotherMerchantOrCurrencyAreFound() {
        // An auto-capture's legs take their merchant and currency from the payment row itself (V16): postings that
        // disagree with their payment cannot be stored for them. A manual payment's capture (event 2) books the same
        // legs as written rows, and those are the ones edited.
        String sale = pay(10_000, "MANUAL");
        op(sale, "capture", null, 200);
        db.query("UPDATE posting_rows SET merchant_id = $2 WHERE payment_id = $1", sale, TestProcessor.OTHER_MERCHANT);
        assertFound(
                sale,
                Set.of("posting_merchant_vs_payment " + sale + "#2"),
                () -> db.query(
                        "UPDATE posting_rows SET merchant_id = $2 WHERE payment_id = $1",
                        sale,
                        TestProcessor.MERCHANT));

        // Every leg in USD: still balanced per currency.
        db.query("UPDATE posting_rows SET currency = 'USD' WHERE payment_id = $1", sale);
        assertFound(
                sale,
                Set.of("posting_currency_vs_payment " + sale + "#2"),
                () -> db.query("UPDATE posting_rows SET currency = 'EUR' WHERE payment_id = $1", sale));
        assertClean();
    }

    @Test
    void anEventAmountChangedUnderItsPostingsIsFound() {
        String manual = pay(9_000, "MANUAL");
        op(manual, "capture", 6_000L, 200);
        db.query("UPDATE payment_event_rows SET amount = 7000 WHERE payment_id = $1 AND seq = 2", manual);
        assertFound(
                manual,
                Set.of("event_amount_vs_postings " + manual + "#2", "amounts_vs_events " + manual),
                () -> db.query(
                        "UPDATE payment_event_rows SET amount = 6000 WHERE payment_id = $1 AND seq = 2", manual));

        // A void moves nothing; its amount is the authorization it released.
        String voided = pay(3_000, "MANUAL");
        op(voided, "void", null, 200);
        db.query("UPDATE payment_event_rows SET amount = 1 WHERE payment_id = $1 AND seq = 2", voided);
        assertFound(
                voided,
                Set.of("event_amount_vs_payment " + voided + "#2"),
                () -> db.query(
                        "UPDATE payment_event_rows SET amount = 3000 WHERE payment_id = $1 AND seq = 2", voided));
        assertClean();
    }

    @Test
    void aRefundPostedToTheWrongAccountIsFound() {
        String sale = pay(10_000, "AUTO");
        op(sale, "refunds", 4_000L, 201);
        // The refund is paid out of the processor's fee income instead of the merchant's payable: balanced, the
        // cardholder still credited, fee income credits unchanged.
        db.query(
                "UPDATE posting_rows SET account = 'fee_income' WHERE payment_id = $1 AND event_seq = 2 AND account = 'merchant_payable'",
                sale);
        assertFound(
                sale,
                Set.of("posting_account_vs_event " + sale + "#2", "event_amount_vs_postings " + sale + "#2"),
                () -> db.query(
                        "UPDATE posting_rows SET account = 'merchant_payable' WHERE payment_id = $1 AND event_seq = 2 AND account = 'fee_income'",
                        sale));
        assertClean();
    }

    @Test
    void balancedPostingsAddedToAVoidAreFound() {
        String voided = pay(3_000, "MANUAL");
        op(voided, "void", null, 200);
        db.query(
                "INSERT INTO posting_rows (payment_id, event_seq, leg, account, merchant_id, direction, amount, currency, created_at) "
                        + "VALUES ($1, 2, 1, 'fee_income', $2, 'D', 500, 'EUR', now()), "
                        + "($1, 2, 2, 'merchant_payable', $2, 'C', 500, 'EUR', now())",
                voided,
                TestProcessor.MERCHANT);
        assertFound(
                voided,
                Set.of("posting_account_vs_event " + voided + "#2"),
                () -> db.query("DELETE FROM posting_rows WHERE payment_id = $1 AND event_seq = 2", voided));
        assertClean();
    }

    @Test
    void capturedAmountAndPostingsChangedTogetherAreFoundAgainstTheCaptureEvent() {
        String manual = pay(9_000, "MANUAL");
        op(manual, "capture", 6_000L, 200);
        // 100 more captured, on the payment and on both sides of its capture's postings: all the old checks agree.
        db.query("UPDATE payments SET captured_amount = captured_amount + 100 WHERE id = $1", manual);
        db.query(
                "UPDATE posting_rows SET amount = amount + 100 WHERE payment_id = $1 AND event_seq = 2 "
                        + "AND account IN ('cardholder_funding', 'merchant_payable')",
                manual);
        assertFound(manual, Set.of("event_amount_vs_postings " + manual + "#2", "amounts_vs_events " + manual), () -> {
            db.query("UPDATE payments SET captured_amount = captured_amount - 100 WHERE id = $1", manual);
            db.query(
                    "UPDATE posting_rows SET amount = amount - 100 WHERE payment_id = $1 AND event_seq = 2 "
                            + "AND account IN ('cardholder_funding', 'merchant_payable')",
                    manual);
        });
        assertClean();
    }

    @Test
    void postingsOfAnEventThatDoesNotExistAreFound() {
        String sale = pay(10_000, "AUTO");
        db.query(
                "INSERT INTO posting_rows (payment_id, event_seq, leg, account, merchant_id, direction, amount, currency, created_at) "
                        + "VALUES ($1, 9, 1, 'merchant_payable', $2, 'D', 300, 'EUR', now()), "
                        + "($1, 9, 2, 'merchant_settled', $2, 'C', 300, 'EUR', now())",
                sale,
                TestProcessor.MERCHANT);
        assertFound(
                sale,
                Set.of("posting_without_event " + sale + "#9"),
                () -> db.query("DELETE FROM posting_rows WHERE payment_id = $1 AND event_seq = 9", sale));
        assertClean();
    }

    @Test
    void anEventWhoseTypeAndStatusDisagreeIsFound() {
        String sale = pay(10_000, "AUTO");
        op(sale, "refunds", 4_000L, 201);
        op(sale, "refunds", 1_000L, 201);
        // Not the last event, so the payment's status still matches its last one.
        db.query("UPDATE payment_event_rows SET status = 'VOIDED' WHERE payment_id = $1 AND seq = 2", sale);
        assertFound(
                sale,
                Set.of("event_type_vs_status " + sale + "#2"),
                () -> db.query(
                        "UPDATE payment_event_rows SET status = 'PARTIALLY_REFUNDED' WHERE payment_id = $1 AND seq = 2",
                        sale));
        assertClean();
    }
}
