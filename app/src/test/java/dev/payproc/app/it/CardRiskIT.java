package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.testkit.Bodies;
import dev.payproc.testkit.H2Client;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Risk rules over what the edge derives from the card and the request, end to end over HTTP/2. */
class CardRiskIT extends ProcessorIT {

    @Override
    protected Map<String, String> env() {
        try {
            Path rules = Files.createTempFile("card-risk-rules", ".json");
            Files.writeString(rules, "{\"version\": 1, \"blocklist\": {\"bins\": [\"45717360\", \"535310\"]}}");
            rules.toFile().deleteOnExit();
            return Map.of("RISK_RULES_FILE", rules.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key() {
        return "cr-" + UUID.randomUUID();
    }

    private JsonObject authorize(JsonObject body) {
        H2Client.Response r = app.authorize(key(), body.encode());
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    private static JsonArray blockedBy(String bin) {
        return new JsonArray().add(new JsonObject().put("code", "BLOCKLIST").put("message", "blocklisted: BIN " + bin));
    }

    @Test
    void anEightDigitBinEntryBlocksCardsWithThoseEightDigitsAlsoOnFile() {
        JsonObject blocked = authorize(Bodies.valid(Bodies.withCheckDigit("457173601234567")));
        assertEquals("DECLINED", blocked.getString("status"));
        assertEquals(blockedBy("45717360"), blocked.getJsonArray("reasons"));
        assertEquals(
                "457173******",
                blocked.getJsonObject("card").getString("masked").substring(0, 12));
        // Stored with the card and the payment, for payments by token, the risk-state rebuild and backtests.
        assertEquals(
                "45717360",
                db.query("SELECT card_bin FROM payments WHERE id = $1", blocked.getString("id"))
                        .iterator()
                        .next()
                        .getString(0));
        assertEquals(
                "45717360",
                db.query(
                                "SELECT bin FROM cards WHERE token = $1",
                                blocked.getJsonObject("card").getString("token"))
                        .iterator()
                        .next()
                        .getString(0));

        // The same card by token (card on file) carries its BIN too.
        JsonObject byToken = Bodies.valid(Bodies.VISA)
                .put(
                        "card",
                        new JsonObject()
                                .put("token", blocked.getJsonObject("card").getString("token")));
        JsonObject onFile = authorize(byToken);
        assertEquals("DECLINED", onFile.getString("status"));
        assertEquals(blockedBy("45717360"), onFile.getJsonArray("reasons"));

        // Sharing six digits (or seven) with the entry is not enough.
        for (String body : new String[] {"457173001234567", "457173611234567"}) {
            JsonObject near = authorize(Bodies.valid(Bodies.withCheckDigit(body)));
            assertEquals("APPROVED", near.getString("status"), near.encode());
        }
    }

    @Test
    void everyAcceptedCurrencyHasAnAmountLimit() {
        JsonObject yen =
                authorize(Bodies.valid(Bodies.freshPan()).put("currency", "JPY").put("amount", 999_999_999_999L));
        assertEquals("DECLINED", yen.getString("status"));
        assertEquals(
                "amount 999999999999 JPY exceeds the limit of 1700000 per authorization",
                yen.getJsonArray("reasons").stream()
                        .map(JsonObject.class::cast)
                        .filter(r -> r.getString("code").equals("AMOUNT_LIMIT"))
                        .findFirst()
                        .orElseThrow()
                        .getString("message"));
        assertEquals(
                "APPROVED",
                authorize(Bodies.valid(Bodies.freshPan()).put("currency", "JPY").put("amount", 1500))
                        .getString("status"));
    }

    @Test
    void aWithdrawnCurrencyIsRefused() {
        for (String code : new String[] {"DEM", "FRF"}) {
            H2Client.Response r = app.authorize(
                    key(), Bodies.valid(Bodies.freshPan()).put("currency", code).encode());
            assertEquals(400, r.status(), r.body());
            assertEquals(
                    new JsonObject()
                            .put("error", "invalid_request")
                            .put("message", "is a withdrawn ISO 4217 currency, no longer legal tender")
                            .put("field", "currency"),
                    r.json());
        }
    }

    @Test
    void aStoredCardPastItsExpiryIsRefusedAsItsPanWouldBe() {
        String token =
                authorize(Bodies.valid(Bodies.freshPan())).getJsonObject("card").getString("token");
        String lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1).format(DateTimeFormatter.ofPattern("MM/yy"));
        db.query("UPDATE cards SET expiry = $1 WHERE token = $2", lastMonth, token);
        JsonObject expired = new JsonObject().put("error", "invalid_request").put("message", "the card has expired");

        H2Client.Response byPan = app.authorize(
                key(),
                Bodies.valid(Bodies.freshPan())
                        .put(
                                "card",
                                new JsonObject().put("pan", Bodies.freshPan()).put("expiry", lastMonth))
                        .encode());
        assertEquals(400, byPan.status(), byPan.body());
        assertEquals(expired.copy().put("field", "card.expiry"), byPan.json());

        JsonObject byToken = Bodies.valid(Bodies.VISA).put("card", new JsonObject().put("token", token));
        H2Client.Response single = app.authorize(key(), byToken.encode());
        assertEquals(400, single.status(), single.body());
        assertEquals(expired.copy().put("field", "card.expiry"), single.json());

        JsonObject batch =
                new JsonObject().put("items", new JsonArray().add(byToken.copy().put("idempotencyKey", key())));
        H2Client.Response r = app.client()
                .send(
                        HttpMethod.POST,
                        "/v1/authorizations/batch",
                        TestProcessor.headers(TestProcessor.API_KEY, key()),
                        batch.encode());
        assertEquals(200, r.status(), r.body());
        JsonObject item = r.json().getJsonArray("results").getJsonObject(0);
        assertEquals(400, item.getInteger("httpStatus"), item.encode());
        assertEquals("the card has expired", item.getString("message"));
        assertEquals("items[0].card.expiry", item.getString("field"));
        assertEquals(
                1,
                db.count("SELECT count(*) FROM payments WHERE card_token = $1", token),
                "only the payment that issued the token");
    }

    @Test
    void aBacktestMatchesEightDigitBinEntriesAgainstTheStoredBin() {
        assertEquals(
                "APPROVED",
                authorize(Bodies.valid(Bodies.withCheckDigit("457173991234567")))
                        .getString("status"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        H2Client.Response r = app.client()
                .send(
                        HttpMethod.POST,
                        "/admin/risk-rules/backtest",
                        Map.of(
                                "Authorization",
                                "Bearer " + TestProcessor.ADMIN_KEY,
                                "Content-Type",
                                "application/json"),
                        "{\"rules\": {\"version\": 2, \"blocklist\": {\"bins\": [\"45717360\", \"535310\", \"45717399\"]}},"
                                + " \"from\": \"" + today + "\", \"to\": \"" + tomorrow + "\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals(1L, r.json().getJsonObject("transitions").getLong("APPROVED->DECLINED"), r.body());
    }

    @Test
    void aSixDigitBinEntryStillBlocks() {
        JsonObject blocked = authorize(Bodies.valid(Bodies.withCheckDigit("535310987654321")));
        assertEquals("DECLINED", blocked.getString("status"));
        assertEquals(blockedBy("535310"), blocked.getJsonArray("reasons"));
    }
}
