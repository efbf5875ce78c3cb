package dev.payproc.gateway.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.EntryMode;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class AuthorizationDecoderTest {
    private static final YearMonth NOW = YearMonth.of(2026, 11);
    private static final String VALID = """
            {"merchantId":"m-1001","terminalId":"t-77","amount":1250,"currency":"EUR",
             "card":{"pan":"4111111111111111","expiry":"12/29"},"entryMode":"CONTACTLESS","mcc":"5411",
             "merchantCountry":"DE","cardholderVerification":"NONE","capture":"AUTO"}""";

    private static Decoded<AuthorizationRequest> decode(String json) {
        return AuthorizationDecoder.decode(json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private static void assertInvalid(String json, String field, String messagePart) {
        Decoded<AuthorizationRequest> d = decode(json);
        assertFalse(d.isValid(), "should be refused: " + json);
        assertEquals(field, d.invalid().field(), d.invalid().message());
        assertTrue(d.invalid().message().contains(messagePart), d.invalid().message());
    }

    @Test
    void decodesTheContractExample() {
        Decoded<AuthorizationRequest> d = decode(VALID);
        assertTrue(d.isValid(), () -> d.invalid().toString());
        AuthorizationRequest r = d.value();
        assertEquals("m-1001", r.merchantId());
        assertEquals("t-77", r.terminalId());
        assertEquals(1250, r.amount());
        assertEquals("EUR", r.currency());
        assertEquals("4111111111111111", r.pan());
        assertEquals("12/29", r.expiry());
        assertNull(r.token());
        assertEquals(EntryMode.CONTACTLESS, r.entryMode());
        assertEquals("5411", r.mcc());
        assertEquals("DE", r.merchantCountry());
        assertEquals(CardholderVerification.NONE, r.cardholderVerification());
        assertEquals(CaptureMode.AUTO, r.capture());
        assertFalse(r.toString().contains("4111111111111111"), "toString never shows the PAN");
    }

    @Test
    void acceptsATokenInsteadOfThePan() {
        Decoded<AuthorizationRequest> d = decode(VALID.replace(
                "{\"pan\":\"4111111111111111\",\"expiry\":\"12/29\"}", "{\"token\":\"tok_abcdefghijklmnopqrstuvwx\"}"));
        assertTrue(d.isValid(), () -> d.invalid().toString());
        assertEquals("tok_abcdefghijklmnopqrstuvwx", d.value().token());
        assertNull(d.value().pan());
    }

    @Test
    void expiryIsValidThroughItsMonth() {
        assertTrue(decode(VALID.replace("12/29", "11/26")).isValid(), "this month is still valid");
        assertInvalid(VALID.replace("12/29", "10/26"), "card.expiry", "expired");
        assertInvalid(VALID.replace("12/29", "00/27"), "card.expiry", "MM/YY");
        assertInvalid(VALID.replace("12/29", "1/27"), "card.expiry", "MM/YY");
        assertInvalid(VALID.replace("12/29", "12/99"), "card.expiry", "future");
    }

    @Test
    void panMustBeDigitsOfTheRightLengthAndPassLuhn() {
        assertInvalid(VALID.replace("4111111111111111", "4111111111111112"), "card.pan", "Luhn");
        assertInvalid(VALID.replace("4111111111111111", "41111111111"), "card.pan", "12 to 19 digits");
        assertInvalid(VALID.replace("4111111111111111", "41111111111111111111"), "card.pan", "12 to 19 digits");
        assertInvalid(VALID.replace("\"4111111111111111\"", "4111111111111111"), "card.pan", "string");
        assertTrue(decode(VALID.replace("4111111111111111", "378282246310005")).isValid(), "15-digit Amex");
    }

    @Test
    void amountsAreIntegersWithinRange() {
        assertInvalid(VALID.replace("1250", "12.50"), "amount", "integer");
        assertInvalid(VALID.replace("1250", "1e3"), "amount", "integer");
        assertInvalid(VALID.replace("1250", "0"), "amount", "positive");
        assertInvalid(VALID.replace("1250", "-1"), "amount", "positive");
        assertInvalid(VALID.replace("1250", "99999999999999999999999"), "amount", "at most");
        assertInvalid(VALID.replace("1250", "1000000000000"), "amount", "at most");
        assertTrue(decode(VALID.replace("1250", "999999999999")).isValid());
    }

    @Test
    void currencyAndCountryAreIsoCodes() {
        assertInvalid(VALID.replace("\"EUR\"", "\"XAU\""), "currency", "ISO 4217");
        assertInvalid(VALID.replace("\"EUR\"", "\"Eur\""), "currency", "ISO 4217");
        assertTrue(decode(VALID.replace("\"EUR\"", "\"BHD\"")).isValid());
        assertInvalid(
                VALID.replace("\"EUR\"", "\"DEM\""), "currency", "withdrawn ISO 4217 currency, no longer legal tender");
        assertInvalid(VALID.replace("\"EUR\"", "\"FRF\""), "currency", "withdrawn ISO 4217 currency");
        assertInvalid(VALID.replace("\"EUR\"", "\"CLF\""), "currency", "ISO 4217 funds code");
        assertInvalid(VALID.replace("\"DE\"", "\"DEU\""), "merchantCountry", "ISO 3166");
    }

    @Test
    void everyRequiredFieldIsNamedWhenMissing() {
        for (String field :
                new String[] {"merchantId", "terminalId", "amount", "currency", "entryMode", "mcc", "merchantCountry"
                }) {
            String json = VALID.replaceAll("\"" + field + "\":(\"[^\"]*\"|[0-9]+),?", "");
            assertInvalid(json, field, "required");
        }
        assertInvalid(
                VALID.replace("\"card\":{\"pan\":\"4111111111111111\",\"expiry\":\"12/29\"},", ""), "card", "required");
        assertInvalid(VALID.replace(",\"expiry\":\"12/29\"", ""), "card.expiry", "required");
        assertInvalid(VALID.replace("\"amount\":1250", "\"amount\":null"), "amount", "required");
    }

    @Test
    void refusesUnknownAndDuplicateFieldsAndTrailingContent() {
        assertInvalid(VALID.replace("{\"merchantId\"", "{\"tip\":5,\"merchantId\""), "tip", "unknown");
        assertInvalid(
                VALID.replace("\"expiry\":\"12/29\"", "\"expiry\":\"12/29\",\"cvv\":\"123\""), "card.cvv", "unknown");
        assertInvalid(
                VALID.replace("{\"merchantId\":\"m-1001\"", "{\"merchantId\":\"m-1001\",\"merchantId\":\"m-2\""),
                null,
                "malformed");
        assertInvalid(VALID + " {}", null, "after");
        assertInvalid("[]", null, "object");
        assertInvalid("", null, "object");
        assertInvalid("{\"merchantId\":", null, "malformed");
    }

    @Test
    void unknownFieldNamesAreNamedWithoutEchoingCardNumbers() {
        assertInvalid(
                VALID.replace("{\"merchantId\"", "{\"4111111111111111\":1,\"merchantId\""),
                "****************",
                "unknown");
        assertInvalid(
                VALID.replace("\"expiry\":\"12/29\"", "\"expiry\":\"12/29\",\"5555555555554444\":1"),
                "card.****************",
                "unknown");
        assertInvalid(VALID.replace("{\"merchantId\"", "{\"tip2024\":1,\"merchantId\""), "tip2024", "unknown");
        assertEquals("x".repeat(64) + "…", FieldNames.safe("x".repeat(100)));
        assertEquals("a*********b", FieldNames.safe("a123456789b"), "a run of five or more digits is starred whole");
        assertEquals("v1234-5678", FieldNames.safe("v1234-5678"), "short runs are kept");
        for (String pan : new String[] {
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "4111.1111.1111.1111",
            "4111 - 1111 - 1111 - 1111",
            "3782 822463 10005"
        }) {
            assertEquals(
                    pan.replaceAll("[0-9]", "*"), FieldNames.safe(pan), "a separated card number is starred whole");
            assertEquals("card.x" + pan.replaceAll("[0-9]", "*") + "y", FieldNames.safe("card.x" + pan + "y"));
        }
        assertEquals("v1234-5678.901", FieldNames.safe("v1234-5678.901"), "fewer than 12 digits in a group are kept");
        assertEquals("****-****-****", FieldNames.safe("1234-5678-9012"), "12 digits are a possible PAN");
        String cut = FieldNames.safe("x".repeat(56) + "4111 1111 1111 1111");
        assertFalse(cut.matches(".*[0-9].*"), "starred before it is cut: " + cut);
        assertInvalid(
                VALID.replace("{\"merchantId\"", "{\"4111-1111-1111-1111\":1,\"merchantId\""),
                "****-****-****-****",
                "unknown");
        assertFalse(BatchDecoder.decode("{\"4111111111111111\":1}".getBytes(StandardCharsets.UTF_8), NOW)
                .invalid()
                .field()
                .contains("4111"));
        assertFalse(OperationDecoder.amount("{\"4111111111111111\":1}".getBytes(StandardCharsets.UTF_8), true)
                .invalid()
                .field()
                .contains("4111"));
    }

    @Test
    void malformedJsonMessagesDoNotEchoTheInput() {
        Decoded<AuthorizationRequest> d = decode("{\"card\":{\"pan\":4111111111111111x}}");
        assertFalse(d.isValid());
        assertFalse(
                d.invalid().message().contains("4111111111111111"), d.invalid().message());
    }

    @Test
    void enumsAreCaseSensitiveContractValues() {
        assertInvalid(VALID.replace("CONTACTLESS", "contactless"), "entryMode", "one of");
        assertInvalid(VALID.replace("\"NONE\"", "\"FACE\""), "cardholderVerification", "one of");
        assertInvalid(VALID.replace("\"AUTO\"", "\"LATER\""), "capture", "AUTO or MANUAL");
        assertTrue(decode(VALID.replace(",\"capture\":\"AUTO\"", "")).isValid(), "capture defaults to AUTO");
    }
}
