package dev.payproc.bench.jmh;

import dev.payproc.core.card.CardKeys;
import dev.payproc.core.card.CardTokenizer;
import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.Decision;
import dev.payproc.core.model.DecisionStatus;
import dev.payproc.core.model.Payment;
import dev.payproc.core.model.PaymentIds;
import dev.payproc.core.model.Reason;
import dev.payproc.gateway.codec.AuthorizationDecoder;
import dev.payproc.gateway.codec.AuthorizationRequest;
import dev.payproc.gateway.codec.Decoded;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * Inputs shared by the benchmarks: the contract's example request (../shared/API.md, byte for byte), fixed
 * card keys, and payments decided the way the risk stage decides them. Everything is deterministic so runs
 * compare; nothing here is measured.
 */
final class Fixtures {
    /** The request body of {@code POST /v1/authorizations} exactly as the contract shows it. */
    static final String CONTRACT_BODY = """
            {
              "merchantId": "m-1001",
              "terminalId": "t-77",
              "amount": 1250,
              "currency": "EUR",
              "card": { "pan": "4111111111111111", "expiry": "12/29" },
              "entryMode": "CONTACTLESS",
              "mcc": "5411",
              "merchantCountry": "DE",
              "cardholderVerification": "NONE",
              "capture": "AUTO"
            }
            """;
    /** A fixed "current month" (the contract card expires 12/29) so results do not depend on the date. */
    static final YearMonth MONTH = YearMonth.of(2026, 11);
    /** 2026-11-22T10:15:30.123Z, the contract's example {@code createdAt}. */
    static final long NOW_MILLIS = 1_795_342_530_123L;

    static final String PAN = "4111111111111111";
    static final String EXPIRY = "12/29";
    static final String MERCHANT_ID = "m-1001";

    private Fixtures() {}

    static byte[] contractBody() {
        return CONTRACT_BODY.getBytes(StandardCharsets.UTF_8);
    }

    /** The decoded contract body; fails setup (not a measurement) if the decoder refuses it. */
    static AuthorizationRequest contractRequest() {
        Decoded<AuthorizationRequest> d = AuthorizationDecoder.decode(contractBody(), MONTH);
        if (!d.isValid()) throw new IllegalStateException("the contract body does not decode: " + d.invalid());
        return d.value();
    }

    /** A tokenizer with fixed development-style keys (bytes 0..31 and 32..63). */
    static CardTokenizer tokenizer() {
        byte[] hmac = new byte[32];
        byte[] aes = new byte[32];
        for (int i = 0; i < 32; i++) {
            hmac[i] = (byte) i;
            aes[i] = (byte) (32 + i);
        }
        return new CardTokenizer(new CardKeys(hmac, "bench-k1", aes));
    }

    /** The authorization the gateway builds from a decoded request and its tokenized card. */
    static Authorization authorization(AuthorizationRequest r, CardOnFile card) {
        return new Authorization(
                r.merchantId(),
                r.terminalId(),
                r.amount(),
                r.currency(),
                card,
                r.entryMode(),
                r.mcc(),
                r.merchantCountry(),
                r.cardholderVerification(),
                r.capture());
    }

    /** The contract's example, tokenized: what the risk engine and the encoders receive. */
    static Authorization contractAuthorization() {
        AuthorizationRequest r = contractRequest();
        return authorization(r, tokenizer().tokenize(r.pan(), r.expiry(), r.merchantId()));
    }

    /** The same authorization with another card fingerprint (a distinct card for the risk engine). */
    static Authorization withFingerprint(Authorization a, String fingerprint) {
        CardOnFile c = a.card();
        CardOnFile card =
                new CardOnFile(c.token(), fingerprint, c.masked(), c.bin(), c.expiry(), c.panCiphertext(), c.keyId());
        return new Authorization(
                a.merchantId(),
                a.terminalId(),
                a.amount(),
                a.currency(),
                card,
                a.entryMode(),
                a.mcc(),
                a.merchantCountry(),
                a.cardholderVerification(),
                a.capture());
    }

    /** The same authorization at another merchant and terminal. */
    static Authorization at(Authorization a, String merchantId, String terminalId) {
        return new Authorization(
                merchantId,
                terminalId,
                a.amount(),
                a.currency(),
                a.card(),
                a.entryMode(),
                a.mcc(),
                a.merchantCountry(),
                a.cardholderVerification(),
                a.capture());
    }

    /** Approved with no rule fired (score 0, rule set 1), as the default engine decides the contract example. */
    static Payment approved(Authorization a, long createdMillis) {
        Decision d = new Decision(DecisionStatus.APPROVED, 0, List.of(), 1);
        return Payment.decided(
                PaymentIds.newPaymentId(createdMillis), a, d, "A1B2C3", Instant.ofEpochMilli(createdMillis));
    }

    /** Declined by the velocity rule, with the reason text the rule writes. */
    static Payment velocityDeclined(Authorization a, long createdMillis) {
        Decision d = new Decision(
                DecisionStatus.DECLINED, 400, List.of(new Reason("VELOCITY_CARD", "6 attempts in 60s (limit 5)")), 1);
        return Payment.decided(PaymentIds.newPaymentId(createdMillis), a, d, null, Instant.ofEpochMilli(createdMillis));
    }
}
