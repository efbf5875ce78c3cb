package dev.payproc.gateway.codec;

import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.EntryMode;

/**
 * A syntactically valid authorization body, before tokenization. Exactly one of {@code pan} and
 * {@code token} is set; {@code expiry} comes with the PAN.
 */
public record AuthorizationRequest(
        String merchantId,
        String terminalId,
        long amount,
        String currency,
        String pan,
        String expiry,
        String token,
        EntryMode entryMode,
        String mcc,
        String merchantCountry,
        CardholderVerification cardholderVerification,
        CaptureMode capture) {
    @Override
    public String toString() { // never the PAN
        return "AuthorizationRequest[merchantId=" + merchantId + ", terminalId=" + terminalId + ", amount=" + amount
                + " " + currency + "]";
    }
}
