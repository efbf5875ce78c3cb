package dev.payproc.gateway.codec;

import dev.payproc.core.card.Sha256;
import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Operation;

/**
 * What makes two requests "the same" for idempotency: SHA-256 over the decoded fields (so formatting and
 * field order do not matter), with the card identified by its fingerprint and expiry or its token, never
 * the PAN.
 */
public final class RequestHash {
    private RequestHash() {}

    /** A capture, void or refund: the operation, the payment and the amount asked for (none = all). */
    public static byte[] of(Operation op, String paymentId, Long amount) {
        return Sha256.of(String.join("\u001f", op.name(), paymentId, String.valueOf(amount)));
    }

    public static byte[] of(Authorization a, boolean presentedAsToken) {
        String canonical = String.join(
                "\u001f",
                "auth",
                a.merchantId(),
                a.terminalId(),
                Long.toString(a.amount()),
                a.currency(),
                presentedAsToken
                        ? a.card().token()
                        : a.card().fingerprint() + "/" + a.card().expiry(),
                a.entryMode().name(),
                a.mcc(),
                a.merchantCountry(),
                a.cardholderVerification().name(),
                a.capture().name());
        return Sha256.of(canonical);
    }
}
