package dev.payproc.ledger.commit;

import dev.payproc.core.card.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digests of the rows a version-2 seal covers, computed by the writer byte for byte as the SQL functions of
 * {@code V5__event_seals.sql} and {@code V12__keyed_seals.sql} compute them from the stored rows: PostgreSQL spent
 * about a third of its CPU per authorization formatting and hashing rows the writer already holds (InsertCeiling,
 * batch 32: 111 against 77 µs). Verification still recomputes every digest in SQL from what is stored, so a writer
 * that sealed other values than it wrote would be found at the first verification, not trusted. Not thread-safe: one
 * per writer.
 */
final class RowDigests {
    private final MessageDigest sha256;
    private final StringBuilder text = new StringBuilder(256);

    RowDigests() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** {@code payment_event_digest}: {@code concat_ws('|', payment_id, seq, type, status, amount, created_ms)}. */
    byte[] event(String paymentId, int seq, String type, String status, long amount, long createdMs) {
        text.setLength(0);
        text.append(paymentId)
                .append('|')
                .append(seq)
                .append('|')
                .append(type)
                .append('|')
                .append(status);
        text.append('|').append(amount).append('|').append(createdMs);
        return hash(text);
    }

    /** {@code seal_posting_digest}: {@code format('%L|%s|%s|%L|%L|%L|%s|%L|%s', ...)}. */
    byte[] posting(
            String paymentId,
            int eventSeq,
            int leg,
            String account,
            String merchantId,
            String direction,
            long amount,
            String currency,
            long createdMs) {
        text.setLength(0);
        literal(paymentId).append('|').append(eventSeq).append('|').append(leg).append('|');
        literal(account).append('|');
        literal(merchantId).append('|');
        literal(direction).append('|').append(amount).append('|');
        literal(currency).append('|').append(createdMs);
        return hash(text);
    }

    /** {@code seal_payment_digest}: {@code format('%L|%L|%L|%s|%L|%L|%L|%L|%L|%L|%L|%s', ...)}. */
    byte[] payment(
            String id,
            String merchantId,
            String terminalId,
            long amount,
            String currency,
            String cardToken,
            String cardFingerprint,
            String maskedPan,
            String cardBin,
            String authCode,
            String captureMode,
            long createdMs) {
        text.setLength(0);
        literal(id).append('|');
        literal(merchantId).append('|');
        literal(terminalId).append('|').append(amount).append('|');
        literal(currency).append('|');
        literal(cardToken).append('|');
        literal(cardFingerprint).append('|');
        literal(maskedPan).append('|');
        literal(cardBin).append('|');
        literal(authCode).append('|');
        literal(captureMode).append('|').append(createdMs);
        return hash(text);
    }

    /**
     * The SHA-256 of an answer's text: what an idempotency record keeps of an authorization's answer (V17), and what
     * an answer rendered again for a replay must match.
     */
    static byte[] answer(String responseBody) {
        return Sha256.of(responseBody);
    }

    /**
     * {@code seal_idempotency_digest}: {@code sha256(answer || format('%L|%L|%s|%L|%s|%s', merchant_id,
     * idempotency_key, hex(request_hash), payment_id, response_status, created_ms))}, {@code answer} being the SHA-256
     * of the answer's text ({@link #answer}).
     */
    byte[] idempotencyRecord(
            String merchantId,
            String idempotencyKey,
            byte[] requestHash,
            String paymentId,
            int responseStatus,
            byte[] answer,
            long createdMs) {
        text.setLength(0);
        literal(merchantId).append('|');
        literal(idempotencyKey)
                .append('|')
                .append(HexFormat.of().formatHex(requestHash))
                .append('|');
        literal(paymentId).append('|').append(responseStatus).append('|').append(createdMs);
        sha256.update(answer);
        return sha256.digest(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code %L} of {@code format}, that is {@code quote_literal}: NULL unquoted; otherwise quoted with quotes doubled,
     * and when the value holds a backslash, backslashes doubled and an {@code E} before the quote.
     */
    private StringBuilder literal(String value) {
        if (value == null) return text.append("NULL");
        boolean backslash = value.indexOf('\\') >= 0;
        // Most values hold neither: appended whole (a per-character loop was the writer's top frame at load).
        if (!backslash && value.indexOf('\'') < 0)
            return text.append('\'').append(value).append('\'');
        if (backslash) text.append('E');
        text.append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'' || (c == '\\' && backslash)) text.append(c);
            text.append(c);
        }
        return text.append('\'');
    }

    private byte[] hash(CharSequence s) {
        return sha256.digest(s.toString().getBytes(StandardCharsets.UTF_8));
    }
}
