package dev.payproc.gateway.fuzz;

import dev.payproc.core.card.Luhn;
import dev.payproc.core.model.Currencies;
import dev.payproc.gateway.codec.AuthorizationDecoder;
import dev.payproc.gateway.codec.AuthorizationRequest;
import dev.payproc.gateway.codec.Decoded;
import dev.payproc.gateway.codec.Invalid;
import java.time.YearMonth;
import java.util.regex.Pattern;

/**
 * The properties every decoder result must have, whatever the input: shared by the fuzz tests. Each check
 * throws {@link AssertionError}, which Jazzer reports as a finding (with the input) and JUnit as a failure.
 */
final class DecoderInvariants {
    /** The month the fuzz tests decode in: expiry dates before it are in the past. */
    static final YearMonth NOW = YearMonth.of(2026, 11);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("tok_[A-Za-z0-9_-]{24}");
    private static final Pattern EXPIRY = Pattern.compile("(0[1-9]|1[0-2])/[0-9]{2}");
    private static final Pattern MCC = Pattern.compile("[0-9]{4}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    /** A card-number-like run: 12 or more ASCII digits. */
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{12,}");
    /** The one message whose own text holds such a run (the published bound, not input). */
    private static final String AMOUNT_BOUND = "must be at most " + AuthorizationDecoder.MAX_AMOUNT;

    private DecoderInvariants() {}

    /** Exactly one of valid and invalid; an invalid result has a message and echoes no card data. */
    static void checkOutcome(Decoded<?> d) {
        check(d != null, "the decoder returned null");
        check(d.isValid() ^ (d.invalid() != null), "neither or both of valid and invalid: " + d);
        if (d.isValid()) return;
        check(d.value() == null, "an invalid result carries a value");
        Invalid invalid = d.invalid();
        check(invalid.message() != null && !invalid.message().isBlank(), "an invalid result without a message");
        // Any 12+ digit run counts, not only runs found verbatim in the input bytes: JSON unicode escapes
        // and UTF-16/32 bodies carry digits that never appear literally in the input.
        noDigitRun(invalid.field(), "field");
        noDigitRun(invalid.message().replace(AMOUNT_BOUND, ""), "message");
    }

    /** The contract of a valid authorization (API.md): what the rest of the pipeline relies on. */
    static void checkAuthorization(AuthorizationRequest r) {
        check(r != null, "a valid authorization without a value");
        check(r.merchantId() != null && ID.matcher(r.merchantId()).matches(), "merchantId");
        check(r.terminalId() != null && ID.matcher(r.terminalId()).matches(), "terminalId");
        check(r.amount() >= 1 && r.amount() <= AuthorizationDecoder.MAX_AMOUNT, "amount out of range: " + r.amount());
        check(Currencies.exponent(r.currency()) >= 0, "currency not accepted: " + r.currency());
        check((r.pan() == null) != (r.token() == null), "not exactly one of pan and token");
        if (r.pan() != null) {
            // The PAN is never printed by these checks: a finding's message must not hold card data either.
            check(
                    r.pan().length() >= 12
                            && r.pan().length() <= 19
                            && r.pan().chars().allMatch(c -> c >= '0' && c <= '9'),
                    "pan is not 12-19 ASCII digits (length " + r.pan().length() + ")");
            check(Luhn.isValid(r.pan()), "pan fails the Luhn check");
            check(r.expiry() != null && EXPIRY.matcher(r.expiry()).matches(), "expiry is not MM/YY");
            YearMonth expires = YearMonth.of(
                    2000 + Integer.parseInt(r.expiry().substring(3)),
                    Integer.parseInt(r.expiry().substring(0, 2)));
            check(!expires.isBefore(NOW), "an expired card was accepted");
        } else {
            check(r.expiry() == null, "an expiry accompanies a token");
            check(TOKEN.matcher(r.token()).matches(), "token is not tok_ + 24 characters");
        }
        check(r.entryMode() != null && r.cardholderVerification() != null && r.capture() != null, "a null enum");
        check(r.mcc() != null && MCC.matcher(r.mcc()).matches(), "mcc is not 4 digits");
        check(
                r.merchantCountry() != null
                        && COUNTRY.matcher(r.merchantCountry()).matches(),
                "merchantCountry is not 2 letters");
    }

    private static void noDigitRun(String text, String what) {
        if (text != null && DIGIT_RUN.matcher(text).find()) {
            String masked =
                    DIGIT_RUN.matcher(text).replaceAll(m -> "<" + m.group().length() + " digits>");
            throw new AssertionError("the error " + what + " echoes a run of 12+ digits (card data): " + masked);
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }
}
