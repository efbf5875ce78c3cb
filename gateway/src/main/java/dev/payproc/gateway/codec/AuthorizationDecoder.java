package dev.payproc.gateway.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.payproc.core.card.Luhn;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.Currencies;
import dev.payproc.core.model.EntryMode;
import java.io.IOException;
import java.time.YearMonth;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decodes and validates an authorization body in one streaming pass (Jackson's parser, no tree): every
 * field is type-checked as it is read, unknown and duplicate fields are refused, and each error names
 * the JSON path at fault. Error messages never echo a card number.
 */
public final class AuthorizationDecoder {
    /** The longest amount accepted, in minor units: a sanity bound far above any card limit. */
    public static final long MAX_AMOUNT = 999_999_999_999L;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("tok_[A-Za-z0-9_-]{24}");
    private static final Pattern MCC = Pattern.compile("[0-9]{4}");
    private static final Pattern EXPIRY = Pattern.compile("(0[1-9]|1[0-2])/([0-9]{2})");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    /** What a card past its expiry month is refused with, presented by PAN or by token. */
    public static final String EXPIRED = "the card has expired";

    private AuthorizationDecoder() {}

    /** Whether a card with this {@code MM/YY} expiry (as validated here, or stored with a token) is past {@code month}. */
    public static boolean hasExpired(String expiry, YearMonth month) {
        return expiryMonth(expiry).isBefore(month);
    }

    private static YearMonth expiryMonth(String expiry) {
        return YearMonth.of(2000 + Integer.parseInt(expiry, 3, 5, 10), Integer.parseInt(expiry, 0, 2, 10));
    }

    /** Decodes {@code body}; {@code currentMonth} (UTC) decides which expiry dates are in the past. */
    public static Decoded<AuthorizationRequest> decode(byte[] body, YearMonth currentMonth) {
        try (JsonParser p = StrictJson.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Decoded.invalid(null, "the body must be a JSON object");
            Decoded<AuthorizationRequest> result = readAuthorization(p, "", currentMonth, null);
            if (result.isValid() && p.nextToken() != null)
                return Decoded.invalid(null, "unexpected content after the JSON object");
            return result;
        } catch (JsonProcessingException e) {
            return StrictJson.malformed(e);
        } catch (IOException e) {
            return Decoded.invalid(null, "unreadable body");
        }
    }

    /**
     * Reads the fields of one authorization object (the parser is on its START_OBJECT) up to its END_OBJECT.
     * {@code extraField}, when given, is one more string field the caller accepts (a batch item's key),
     * returned through {@code extra[0]}.
     */
    static Decoded<AuthorizationRequest> readAuthorization(
            JsonParser p, String path, YearMonth currentMonth, String[] extra) throws IOException {
        String merchantId = null, terminalId = null, currency = null, mcc = null, country = null;
        String pan = null, expiry = null, token = null, entryMode = null, cvm = null, capture = null;
        long amount = -1;
        boolean amountSeen = false;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) continue; // null is the same as absent
            String field = path + name;
            switch (name) {
                case "merchantId" -> {
                    if ((merchantId = text(p, v)) == null) return notString(field);
                }
                case "terminalId" -> {
                    if ((terminalId = text(p, v)) == null) return notString(field);
                }
                case "currency" -> {
                    if ((currency = text(p, v)) == null) return notString(field);
                }
                case "mcc" -> {
                    if ((mcc = text(p, v)) == null) return notString(field);
                }
                case "merchantCountry" -> {
                    if ((country = text(p, v)) == null) return notString(field);
                }
                case "entryMode" -> {
                    if ((entryMode = text(p, v)) == null) return notString(field);
                }
                case "cardholderVerification" -> {
                    if ((cvm = text(p, v)) == null) return notString(field);
                }
                case "capture" -> {
                    if ((capture = text(p, v)) == null) return notString(field);
                }
                case "amount" -> {
                    if (v != JsonToken.VALUE_NUMBER_INT)
                        return Decoded.invalid(field, "must be an integer amount in minor units");
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() > MAX_AMOUNT) {
                        return Decoded.invalid(field, "must be at most " + MAX_AMOUNT);
                    }
                    amount = p.getLongValue();
                    amountSeen = true;
                }
                case "card" -> {
                    if (v != JsonToken.START_OBJECT) return Decoded.invalid(field, "must be an object");
                    for (JsonToken c = p.nextToken(); c != JsonToken.END_OBJECT; c = p.nextToken()) {
                        String cardField = p.currentName();
                        JsonToken cv = p.nextToken();
                        if (cv == JsonToken.VALUE_NULL) continue;
                        String cardPath = field + "." + cardField;
                        switch (cardField) {
                            case "pan" -> {
                                if ((pan = text(p, cv)) == null) return notString(cardPath);
                            }
                            case "expiry" -> {
                                if ((expiry = text(p, cv)) == null) return notString(cardPath);
                            }
                            case "token" -> {
                                if ((token = text(p, cv)) == null) return notString(cardPath);
                            }
                            default -> {
                                return Decoded.invalid(field + "." + FieldNames.safe(cardField), "unknown field");
                            }
                        }
                    }
                }
                default -> {
                    if (extra != null && name.equals("idempotencyKey")) {
                        if ((extra[0] = text(p, v)) == null) return notString(field);
                    } else {
                        return Decoded.invalid(path + FieldNames.safe(name), "unknown field");
                    }
                }
            }
        }
        return validate(
                path,
                merchantId,
                terminalId,
                amountSeen,
                amount,
                currency,
                pan,
                expiry,
                token,
                entryMode,
                mcc,
                country,
                cvm,
                capture,
                currentMonth);
    }

    private static Decoded<AuthorizationRequest> validate(
            String path,
            String merchantId,
            String terminalId,
            boolean amountSeen,
            long amount,
            String currency,
            String pan,
            String expiry,
            String token,
            String entryMode,
            String mcc,
            String country,
            String cvm,
            String capture,
            YearMonth month) {
        if (merchantId == null) return missing(path + "merchantId");
        if (!ID.matcher(merchantId).matches())
            return Decoded.invalid(path + "merchantId", "must be 1-64 characters of [A-Za-z0-9._:-]");
        if (terminalId == null) return missing(path + "terminalId");
        if (!ID.matcher(terminalId).matches())
            return Decoded.invalid(path + "terminalId", "must be 1-64 characters of [A-Za-z0-9._:-]");
        if (!amountSeen) return missing(path + "amount");
        if (amount <= 0) return Decoded.invalid(path + "amount", "must be a positive integer in minor units");
        if (currency == null) return missing(path + "currency");
        if (Currencies.exponent(currency) < 0) {
            String why = Currencies.whyRefused(currency);
            return Decoded.invalid(
                    path + "currency", why != null ? why : "must be an ISO 4217 currency code such as EUR");
        }
        String card = path + "card";
        if (pan == null && token == null) {
            return expiry == null ? missing(card) : missing(card + ".pan");
        }
        if (pan != null && token != null)
            return Decoded.invalid(card, "must carry either pan and expiry, or token, not both");
        if (pan != null) {
            if (pan.length() < 12 || pan.length() > 19 || !allDigits(pan)) {
                return Decoded.invalid(card + ".pan", "must be 12 to 19 digits");
            }
            if (!Luhn.isValid(pan)) return Decoded.invalid(card + ".pan", "fails the Luhn check");
            if (expiry == null) return missing(card + ".expiry");
            if (!EXPIRY.matcher(expiry).matches()) return Decoded.invalid(card + ".expiry", "must be MM/YY");
            if (hasExpired(expiry, month)) return Decoded.invalid(card + ".expiry", EXPIRED);
            if (expiryMonth(expiry).isAfter(month.plusYears(20)))
                return Decoded.invalid(card + ".expiry", "is too far in the future");
        } else {
            if (expiry != null) return Decoded.invalid(card + ".expiry", "must not accompany a token");
            if (!TOKEN.matcher(token).matches())
                return Decoded.invalid(card + ".token", "is not a card token issued by this processor");
        }
        EntryMode mode = parseEnum(EntryMode.class, entryMode);
        if (entryMode == null) return missing(path + "entryMode");
        if (mode == null)
            return Decoded.invalid(
                    path + "entryMode", "must be one of CHIP, CONTACTLESS, MAGSTRIPE, ECOMMERCE, MANUAL");
        if (mcc == null) return missing(path + "mcc");
        if (!MCC.matcher(mcc).matches()) return Decoded.invalid(path + "mcc", "must be 4 digits");
        if (country == null) return missing(path + "merchantCountry");
        if (!COUNTRIES.contains(country))
            return Decoded.invalid(path + "merchantCountry", "must be an ISO 3166 alpha-2 country code such as DE");
        CardholderVerification verification =
                cvm == null ? CardholderVerification.NONE : parseEnum(CardholderVerification.class, cvm);
        if (verification == null) {
            return Decoded.invalid(
                    path + "cardholderVerification", "must be one of NONE, PIN, SIGNATURE, BIOMETRIC, THREE_DS");
        }
        CaptureMode captureMode = capture == null ? CaptureMode.AUTO : parseEnum(CaptureMode.class, capture);
        if (captureMode == null) return Decoded.invalid(path + "capture", "must be AUTO or MANUAL");
        return Decoded.ok(new AuthorizationRequest(
                merchantId,
                terminalId,
                amount,
                currency,
                pan,
                expiry,
                token,
                mode,
                mcc,
                country,
                verification,
                captureMode));
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) p.skipChildren();
        return v == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value) {
        if (value == null) return null;
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(value)) return e;
        }
        return null;
    }

    private static <T> Decoded<T> notString(String field) {
        return Decoded.invalid(field, "must be a string");
    }

    private static <T> Decoded<T> missing(String field) {
        return Decoded.invalid(field, "is required");
    }
}
