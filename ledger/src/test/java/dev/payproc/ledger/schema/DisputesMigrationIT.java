package dev.payproc.ledger.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Await;
import dev.payproc.testkit.TestDatabase;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** V22 (disputes) carries a V21 database forward: its payments hold no dispute, its settlements count none. */
class DisputesMigrationIT {
    @Test
    void aV21DatabaseIsCarriedForward() {
        try (TestDatabase db = new TestDatabase()) {
            Await.result(Migrations.applyThrough(db.pool(), 21));
            db.query("INSERT INTO merchants (id, name) VALUES ('m-1001', 'm')");
            db.query(
                    "INSERT INTO payments (id, merchant_id, terminal_id, status, amount, currency, captured_amount,"
                            + " refunded_amount, auth_code, risk_score, reasons, rule_set_version, card_token,"
                            + " card_fingerprint, masked_pan, card_bin, card_expiry, entry_mode, mcc, merchant_country,"
                            + " cardholder_verification, capture_mode, created_at, fee_amount, auth_status, auth_captured,"
                            + " auth_fee, feed_seq) VALUES ('pay_old', 'm-1001', 't-1', 'PARTIALLY_REFUNDED', 1000, 'EUR',"
                            + " 1000, 400, 'A1B2C3', 0, '[]', 1, 'tok_old', 'fp_old', '411111******1111', '411111',"
                            + " '12/30', 'CHIP', '5411', 'DE', 'PIN', 'AUTO', $1, 0, 'APPROVED', 1000, 0, 1)",
                    OffsetDateTime.parse("2026-12-01T10:00:00Z"));
            db.query(
                    "INSERT INTO settlements (id, merchant_id, business_date, currency, capture_count, capture_amount,"
                            + " refund_count, refund_amount, fee_amount, net_amount) VALUES"
                            + " ('stl_old', 'm-1001', $1, 'EUR', 1, 1000, 1, 400, 0, 600)",
                    LocalDate.parse("2026-12-01"));

            Await.result(Migrations.apply(db.pool()));

            assertEquals(0, db.count("SELECT disputed_amount FROM payments WHERE id = 'pay_old'"));
            assertEquals(
                    0,
                    db.count("SELECT dispute_count + dispute_amount + dispute_won_amount + dispute_lost_amount"
                            + " FROM settlements WHERE id = 'stl_old'"));
            // The new guarantee holds for the old row too: 400 refunded leaves 600 to dispute, no more.
            db.query("UPDATE payments SET disputed_amount = 600 WHERE id = 'pay_old'");
            RuntimeException refused = assertThrows(
                    RuntimeException.class,
                    () -> db.query("UPDATE payments SET disputed_amount = 601 WHERE id = 'pay_old'"));
            assertTrue(refused.getMessage().contains("payments_refunds_and_disputes"), refused.getMessage());
            RuntimeException badNet = assertThrows(
                    RuntimeException.class,
                    () -> db.query("UPDATE settlements SET dispute_amount = 1 WHERE id = 'stl_old'"));
            assertTrue(badNet.getMessage().contains("settlements_net"), badNet.getMessage());
        }
    }
}
