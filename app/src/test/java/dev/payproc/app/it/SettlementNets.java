package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;

/** The settlement report's word checked against the ledger's own postings. */
final class SettlementNets {
    private SettlementNets() {}

    /** Each currency's net in a day's report equals the net of the merchant payable account's postings. */
    static void assertReportNetsMatchTheLedger(TestDatabase db, JsonObject report) {
        for (Object o : report.getJsonArray("currencies")) {
            JsonObject c = (JsonObject) o;
            long ledgerNet = db.count(
                    "SELECT coalesce(sum(CASE direction WHEN 'C' THEN amount ELSE -amount END), 0) FROM postings "
                            + "WHERE account = 'merchant_payable' AND currency = $1",
                    c.getString("currency"));
            assertEquals(ledgerNet, c.getLong("net"), "report net = ledger net for " + c.getString("currency"));
        }
    }
}
