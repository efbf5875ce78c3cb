package dev.payproc.risk.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.payproc.core.port.RiskRules.Violation;
import dev.payproc.risk.Blocklist;
import dev.payproc.risk.RiskSettings;
import dev.payproc.risk.Thresholds;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleSetDocumentTest {
    private static final String EVERYTHING = """
            {"version": 9,
             "amountLimit": {"EUR": 700000, "JPY": 90000},
             "daily": {"windowSeconds": 43200, "cardCount": 20, "cardAmount": {"EUR": 900000}},
             "velocity": {"card": {"limit": 4, "windowSeconds": 30}, "terminal": {"limit": 60, "windowSeconds": 120},
                          "merchant": {"limit": 3000, "windowSeconds": 300}},
             "impossibleTravel": {"windowSeconds": 3600},
             "amountAnomaly": {"alpha": 0.25, "minHistory": 8, "zScore": 3.5, "minStdDevPercent": 5,
                               "firstSeenLarge": {"EUR": 250000}, "firstSeenPoints": 150},
             "stepUp": {"EUR": 30000},
             "structuring": {"count": 4, "bandPercent": 5, "windowSeconds": 172800},
             "largeValue": {"EUR": 1500000},
             "scoreBands": {"review": 400, "decline": 700},
             "blocklist": {"cardTokens": ["tok_BBBBBBBBBBBBBBBBBBBBBBBB", "tok_AAAAAAAAAAAAAAAAAAAAAAAA"],
                           "cardFingerprints": ["0123456789abcdef0123456789abcdef"], "bins": ["400000", "41111122"],
                           "merchantIds": ["m-x"], "merchantCountries": ["KP"], "mccs": ["7995"]},
             "merchants": {"m-big": {"amountLimit": {"EUR": 5000000, "JPY": 120000}, "velocity": {"merchant": {"limit": 60000}}},
                           "m-small": {"scoreBands": {"review": 300}}, "m-same": {}}}""";

    private static RiskSettings valid(String json) {
        return assertInstanceOf(RuleSetDocument.Valid.class, RuleSetDocument.parse(json))
                .settings();
    }

    private static List<Violation> errors(String json) {
        return assertInstanceOf(RuleSetDocument.Invalid.class, RuleSetDocument.parse(json))
                .errors();
    }

    @Test
    void theDefaultsRoundTrip() {
        assertEquals(RiskSettings.defaults(), valid(RuleSetDocument.render(RiskSettings.defaults())));
    }

    @Test
    void aFullDocumentRoundTrips() {
        RiskSettings s = valid(EVERYTHING);
        assertEquals(s, valid(RuleSetDocument.render(s)));
        assertEquals(RuleSetDocument.render(s), RuleSetDocument.render(valid(RuleSetDocument.render(s))));
    }

    @Test
    void aDocumentIsReadIntoTheSettingsItDescribes() {
        RiskSettings s = valid(EVERYTHING);
        assertEquals(9, s.version());
        Thresholds t = s.thresholds();
        Map<String, Long> builtIn = Thresholds.defaults().amountLimit();
        assertEquals(700_000L, t.amountLimit().get("EUR"));
        assertEquals(90_000L, t.amountLimit().get("JPY"));
        assertEquals(
                builtIn.get("USD"), t.amountLimit().get("USD"), "a top-level currency map changes what it names only");
        assertEquals(builtIn.keySet(), t.amountLimit().keySet());
        assertEquals(new Thresholds.Window(60, 120), t.velocity().terminal());
        Map<String, Long> firstSeen =
                new HashMap<>(Thresholds.defaults().amountAnomaly().firstSeenLarge());
        firstSeen.put("EUR", 250_000L);
        assertEquals(new Thresholds.Anomaly(0.25, 8, 3.5, 5, firstSeen, 150), t.amountAnomaly());
        assertEquals(
                new Blocklist(
                        Set.of("tok_AAAAAAAAAAAAAAAAAAAAAAAA", "tok_BBBBBBBBBBBBBBBBBBBBBBBB"),
                        Set.of("0123456789abcdef0123456789abcdef"),
                        Set.of("400000", "41111122"),
                        Set.of("m-x"),
                        Set.of("KP"),
                        Set.of("7995")),
                s.blocklist());

        Thresholds big = s.thresholdsFor("m-big");
        Map<String, Long> bigLimits = new HashMap<>(t.amountLimit());
        bigLimits.putAll(Map.of("EUR", 5_000_000L, "JPY", 120_000L));
        assertEquals(bigLimits, big.amountLimit(), "an override merges per currency");
        assertEquals(
                new Thresholds.Window(60_000, 300), big.velocity().merchant(), "the window is the document's default");
        assertEquals(t.daily(), big.daily());
        assertEquals(
                new Thresholds.ScoreBands(300, 700), s.thresholdsFor("m-small").scoreBands());
        assertEquals(t, s.thresholdsFor("m-same"));
        assertEquals(t, s.thresholdsFor("m-unknown"));
    }

    @Test
    void membersLeftOutKeepTheBuiltInDefaults() {
        RiskSettings s = valid("{\"version\": 4}");
        assertEquals(new RiskSettings(4, Thresholds.defaults(), Map.of(), Blocklist.NONE), s);
        assertEquals(
                s,
                valid("{\"version\": 4, \"velocity\": null, \"blocklist\": {}, \"merchants\": {}}"),
                "null is absent");
    }

    @Test
    void overridesAreRenderedAsTheirDifferenceFromTheDefaults() throws IOException {
        Map<?, ?> doc = (Map<?, ?>) JsonTree.parse(RuleSetDocument.render(valid(EVERYTHING)));
        assertEquals(JsonTree.parse("""
                {"m-big": {"amountLimit": {"EUR": 5000000, "JPY": 120000}, "velocity": {"merchant": {"limit": 60000}}},
                 "m-same": {}, "m-small": {"scoreBands": {"review": 300}}}"""), doc.get("merchants"));
        assertEquals(JsonTree.parse("""
                {"cardTokens": ["tok_AAAAAAAAAAAAAAAAAAAAAAAA", "tok_BBBBBBBBBBBBBBBBBBBBBBBB"],
                 "cardFingerprints": ["0123456789abcdef0123456789abcdef"], "bins": ["400000", "41111122"],
                 "merchantIds": ["m-x"], "merchantCountries": ["KP"], "mccs": ["7995"]}"""), doc.get("blocklist"));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("[1]", null, "the rule set must be a JSON object"),
                Arguments.of("{\"version\": 1,", null, "malformed JSON at line 1, column 15"),
                Arguments.of("{\"version\": 1, \"version\": 2}", null, "malformed JSON at line 1, column 25"),
                Arguments.of("", null, "malformed JSON at line 1, column 1"),
                Arguments.of("{}", "version", "is required"),
                Arguments.of("{\"version\": 0}", "version", "must be at least 1"),
                Arguments.of("{\"version\": \"1\"}", "version", "must be an integer"),
                Arguments.of("{\"version\": 1, \"colour\": \"red\"}", "colour", "unknown field"),
                Arguments.of(
                        v("\"velocity\": {\"card\": {\"limit\": 0}}"), "velocity.card.limit", "must be at least 1"),
                Arguments.of(
                        v("\"velocity\": {\"card\": {\"limit\": \"5\"}}"), "velocity.card.limit", "must be an integer"),
                Arguments.of(
                        v("\"velocity\": {\"card\": {\"limit\": 5000000000}}"),
                        "velocity.card.limit",
                        "is out of range"),
                Arguments.of(
                        v("\"velocity\": {\"card\": {\"limit\": 1000001}}"),
                        "velocity.card.limit",
                        "must be at most 1000000"),
                Arguments.of(
                        v("\"velocity\": {\"card\": {\"limit\": 5, \"window\": 60}}"),
                        "velocity.card.window",
                        "unknown field"),
                Arguments.of(v("\"velocity\": {\"card\": []}"), "velocity.card", "must be an object"),
                Arguments.of(
                        v("\"velocity\": {\"terminal\": {\"windowSeconds\": 604801}}"),
                        "velocity.terminal.windowSeconds",
                        "must be at most 604800"),
                Arguments.of(
                        v("\"velocity\": {\"merchant\": {\"windowSeconds\": 0}}"),
                        "velocity.merchant.windowSeconds",
                        "must be at least 1"),
                Arguments.of(
                        v("\"amountLimit\": {\"EURO\": 100}"), "amountLimit.EURO", "is not an ISO 4217 currency code"),
                Arguments.of(v("\"amountLimit\": {\"EUR\": 0}"), "amountLimit.EUR", "must be at least 1"),
                Arguments.of(
                        v("\"amountLimit\": {\"EUR\": 1.5}"),
                        "amountLimit.EUR",
                        "must be an integer amount in minor units"),
                Arguments.of(
                        v("\"amountLimit\": {\"EUR\": 10000000000000000000}"), "amountLimit.EUR", "is out of range"),
                Arguments.of(
                        v("\"amountLimit\": {\"EUR\": 1000000000000001}"),
                        "amountLimit.EUR",
                        "must be at most 1000000000000000"),
                Arguments.of(v("\"amountLimit\": [1]"), "amountLimit", "must be an object of amounts by currency"),
                Arguments.of(v("\"daily\": {\"windowSeconds\": 0}"), "daily.windowSeconds", "must be at least 1"),
                Arguments.of(v("\"daily\": {\"cardCount\": 0}"), "daily.cardCount", "must be at least 1"),
                Arguments.of(
                        v("\"daily\": {\"cardAmount\": {\"EUR\": -5}}"), "daily.cardAmount.EUR", "must be at least 1"),
                Arguments.of(
                        v("\"impossibleTravel\": {\"windowSeconds\": 0}"),
                        "impossibleTravel.windowSeconds",
                        "must be at least 1"),
                Arguments.of(
                        v("\"amountAnomaly\": {\"alpha\": 0}"),
                        "amountAnomaly.alpha",
                        "must be greater than 0 and at most 1"),
                Arguments.of(
                        v("\"amountAnomaly\": {\"alpha\": 1.5}"),
                        "amountAnomaly.alpha",
                        "must be greater than 0 and at most 1"),
                Arguments.of(v("\"amountAnomaly\": {\"alpha\": \"x\"}"), "amountAnomaly.alpha", "must be a number"),
                Arguments.of(
                        v("\"amountAnomaly\": {\"minHistory\": 0}"), "amountAnomaly.minHistory", "must be at least 1"),
                Arguments.of(
                        v("\"amountAnomaly\": {\"zScore\": 0}"),
                        "amountAnomaly.zScore",
                        "must be greater than 0 and at most 1000"),
                Arguments.of(
                        v("\"amountAnomaly\": {\"minStdDevPercent\": 101}"),
                        "amountAnomaly.minStdDevPercent",
                        "must be at most 100"),
                Arguments.of(
                        v("\"amountAnomaly\": {\"firstSeenLarge\": {\"EUR\": 0}}"),
                        "amountAnomaly.firstSeenLarge.EUR",
                        "must be at least 1"),
                Arguments.of(
                        v("\"amountAnomaly\": {\"firstSeenPoints\": 1001}"),
                        "amountAnomaly.firstSeenPoints",
                        "must be at most 1000"),
                Arguments.of(v("\"stepUp\": {\"EUR\": 0}"), "stepUp.EUR", "must be at least 1"),
                Arguments.of(v("\"structuring\": {\"count\": 1}"), "structuring.count", "must be at least 2"),
                Arguments.of(
                        v("\"structuring\": {\"bandPercent\": 51}"), "structuring.bandPercent", "must be at most 50"),
                Arguments.of(
                        v("\"structuring\": {\"windowSeconds\": 0}"),
                        "structuring.windowSeconds",
                        "must be at least 1"),
                Arguments.of(v("\"largeValue\": {\"ABC\": 5}"), "largeValue.ABC", "is not an ISO 4217 currency code"),
                Arguments.of(
                        v("\"largeValue\": {\"DEM\": 5}"),
                        "largeValue.DEM",
                        "is a withdrawn ISO 4217 currency, no longer legal tender"),
                Arguments.of(
                        v("\"stepUp\": {\"JPY\": null}"),
                        "stepUp.JPY",
                        "is required: without it the rule would be off for JPY"),
                Arguments.of(
                        v("\"merchants\": {\"m-1\": {\"amountLimit\": {\"THB\": null}}}"),
                        "merchants.m-1.amountLimit.THB",
                        "is required: without it the rule would be off for THB"),
                Arguments.of(
                        v("\"scoreBands\": {\"review\": 900}"),
                        "scoreBands.review",
                        "must not exceed scoreBands.decline"),
                Arguments.of(v("\"scoreBands\": {\"decline\": 1001}"), "scoreBands.decline", "must be at most 1000"),
                Arguments.of(v("\"scoreBands\": {\"review\": 0}"), "scoreBands.review", "must be at least 1"),
                Arguments.of(
                        v("\"blocklist\": {\"bins\": [\"4111111111111111\"]}"),
                        "blocklist.bins",
                        "entries must be 6 to 8 digits (a BIN prefix, never a full card number)"),
                Arguments.of(
                        v("\"blocklist\": {\"merchantCountries\": [\"de\"]}"),
                        "blocklist.merchantCountries",
                        "entries must be ISO 3166 alpha-2 codes such as DE"),
                Arguments.of(v("\"blocklist\": {\"mccs\": [\"59\"]}"), "blocklist.mccs", "entries must be 4 digits"),
                Arguments.of(
                        v("\"blocklist\": {\"cardTokens\": [\"tok_short\"]}"),
                        "blocklist.cardTokens",
                        "entries must be card tokens (tok_ and 24 characters)"),
                Arguments.of(
                        v("\"blocklist\": {\"cardFingerprints\": [\"4111111111111111\"]}"),
                        "blocklist.cardFingerprints",
                        "entries must be card fingerprints (32 hex digits)"),
                Arguments.of(
                        v("\"blocklist\": {\"cardFingerprints\": [7]}"),
                        "blocklist.cardFingerprints[0]",
                        "must be a string"),
                Arguments.of(
                        v("\"blocklist\": {\"merchantIds\": [\"\"]}"),
                        "blocklist.merchantIds",
                        "entries must be 1-64 characters of [A-Za-z0-9._:-]"),
                Arguments.of(
                        v("\"blocklist\": {\"merchantIds\": \"m-1\"}"),
                        "blocklist.merchantIds",
                        "must be an array of strings"),
                Arguments.of(v("\"blocklist\": {\"colour\": []}"), "blocklist.colour", "unknown field"),
                Arguments.of(v("\"merchants\": []"), "merchants", "must be an object"),
                Arguments.of(v("\"merchants\": {\"m-1\": \"x\"}"), "merchants.m-1", "must be an object"),
                Arguments.of(
                        v("\"merchants\": {\"bad id!\": {}}"),
                        "merchants.bad id!",
                        "must be 1-64 characters of [A-Za-z0-9._:-]"),
                Arguments.of(
                        v("\"merchants\": {\"m-1\": {\"velocity\": {\"card\": {\"limit\": 0}}}}"),
                        "merchants.m-1.velocity.card.limit",
                        "must be at least 1"),
                Arguments.of(
                        v("\"merchants\": {\"m-1\": {\"scoreBands\": {\"review\": 900}}}"),
                        "merchants.m-1.scoreBands.review",
                        "must not exceed scoreBands.decline"),
                Arguments.of(
                        v("\"merchants\": {\"m-1\": {\"amountLimit\": {\"EUR\": \"lots\"}}}"),
                        "merchants.m-1.amountLimit.EUR",
                        "must be an integer amount in minor units"),
                Arguments.of(v("\"merchants\": {\"m-1\": {\"colour\": 1}}"), "merchants.m-1.colour", "unknown field"));
    }

    private static String v(String members) {
        return "{\"version\": 1, " + members + "}";
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void eachProblemIsNamedByItsJsonPath(String json, String field, String message) {
        assertEquals(List.of(new Violation(field, message)), errors(json));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertEquals(
                List.of(
                        new Violation("colour", "unknown field"),
                        new Violation("version", "must be at least 1"),
                        new Violation("velocity.card.limit", "must be at least 1")),
                errors("{\"version\": 0, \"velocity\": {\"card\": {\"limit\": 0}}, \"colour\": 1}"));
    }

    @Test
    void aBadDefaultIsNotRepeatedForEveryMerchant() {
        assertEquals(
                List.of(new Violation("velocity.card.limit", "must be at least 1")),
                errors(v("\"velocity\": {\"card\": {\"limit\": 0}}, \"merchants\": {\"m-1\": {}, \"m-2\": {}}")));
    }

    @Test
    void messagesNeverEchoAValue() {
        String pan = "4111111111111111";
        for (String json : List.of(
                v("\"blocklist\": {\"bins\": [\"" + pan + "\"]}"),
                v("\"blocklist\": {\"cardTokens\": [\"" + pan + "\"]}"),
                "{\"version\": " + pan + "x}")) {
            assertFalse(errors(json).toString().contains(pan), json);
        }
    }
}
