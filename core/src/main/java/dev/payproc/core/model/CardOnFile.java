package dev.payproc.core.model;

/**
 * A card as the processor keeps it: never the PAN itself. {@code fingerprint} is a keyed HMAC of the
 * PAN (the identity for risk state, the same at every merchant); {@code token} is merchant-scoped and
 * what the merchant may send back instead of the PAN. {@code panCiphertext} (AES-GCM, for clearing)
 * is present only when the PAN came with this request. {@code bin} is the issuer prefix the blocklist matches
 * ({@link dev.payproc.core.card.CardTokenizer#bin}): 8 digits, or 6 for PANs shorter than 16 digits.
 */
public record CardOnFile(
        String token,
        String fingerprint,
        String masked,
        String bin,
        String expiry,
        byte[] panCiphertext,
        String keyId) {
    @Override
    public String toString() {
        return "CardOnFile[token=" + token + ", masked=" + masked + "]";
    }
}
