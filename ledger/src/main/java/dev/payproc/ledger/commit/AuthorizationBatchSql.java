package dev.payproc.ledger.commit;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.Errors;
import dev.payproc.core.model.Payment;
import dev.payproc.core.model.Reason;
import dev.payproc.core.pipeline.DecidedAuthorization;
import dev.payproc.core.pipeline.SettlementItem;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * One statement commits a whole batch of decided authorizations: the idempotency records, card rows and
 * payments, each a column array unnested server-side (a payment row carries its first event and balanced postings
 * in its {@code auth_*} columns, {@code V16__authorization_in_one_row.sql}: they are sealed, not written; and its
 * event's feed sequence, {@link FeedSql}), and the seal of
 * everything the batch wrote in the writer's chain ({@link EventSealSql}; {@code $28} is the chain, {@code $30} the
 * seal's seq, {@code $31} and {@code $32} its key's HMAC pads, {@code $33}-{@code $37} the row digests it seals
 * ({@link RowDigests}); the card BINs, added later, are {@code $29}; {@code $24} is each answer's SHA-256). The
 * statement returns the fresh payments' ids: none means no seal was written (its seq is still free). A single
 * statement is atomic, so for every payment all of its rows commit or none do, and a key that already
 * exists in the database (a replay after restart, or from another process) skips its payment entirely.
 */
public final class AuthorizationBatchSql {
    public static final String INSERT =
            """
            WITH input AS (
              SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                                   $7::bigint[], $8::text[], $9::int[], $10::text[], $11::int[], $12::text[],
                                   $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[],
                                   $19::text[], $20::text[], $21::bigint[], $22::text[], $23::bytea[], $24::bytea[],
                                   $25::bytea[], $26::text[], $27::bigint[], $29::text[], $33::bytea[], $34::int[],
                                   $35::bytea[], $36::bytea[], $37::bytea[])
                AS t(payment_id, merchant_id, terminal_id, status, amount, currency, captured, auth_code, risk_score,
                     reasons, rule_set_version, card_token, fingerprint, masked_pan, expiry, entry_mode, mcc,
                     merchant_country, cvm, capture_mode, created_ms, idem_key, request_hash, response_digest,
                     pan_ciphertext, key_id, fee, bin, event_d, posting_n, posting_d, payment_d, key_d)
            ), stamped AS (
              SELECT input.*, timestamptz 'epoch' + created_ms * interval '1 millisecond' AS created_at FROM input
            ), idem AS (
              INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, payment_id, response_status,
                                            response_digest, created_at, seal_chain, seal_seq)
              SELECT merchant_id, idem_key, request_hash, payment_id, 201, response_digest, created_at, $28, $30 FROM stamped
              ON CONFLICT DO NOTHING
              RETURNING payment_id
            ), fresh AS (
              SELECT s.* FROM stamped s JOIN idem USING (payment_id)
            ), """ + FeedSql.take("fresh") + """
            , numbered AS (
              SELECT f.*, s.first_seq - 1 + row_number() OVER (PARTITION BY merchant_id ORDER BY created_ms, payment_id)
                       AS feed_seq
              FROM fresh f JOIN sealed_feed s USING (merchant_id)
            ), card AS (
              INSERT INTO cards (token, merchant_id, fingerprint, masked_pan, bin, expiry, pan_ciphertext, key_id, created_at)
              SELECT card_token, merchant_id, fingerprint, masked_pan, bin, expiry, pan_ciphertext, key_id, created_at
              FROM fresh WHERE octet_length(pan_ciphertext) > 0
              ON CONFLICT (token) DO NOTHING
            ), pay AS (
              INSERT INTO payments (id, merchant_id, terminal_id, status, amount, currency, captured_amount, auth_code,
                                    risk_score, reasons, rule_set_version, card_token, card_fingerprint, masked_pan,
                                    card_bin, card_expiry, entry_mode, mcc, merchant_country, cardholder_verification,
                                    capture_mode, created_at, fee_amount, auth_status, auth_captured, auth_fee,
                                    seal_chain, seal_seq, feed_seq)
              SELECT payment_id, merchant_id, terminal_id, status, amount, currency, captured, auth_code, risk_score,
                     reasons::jsonb, rule_set_version, card_token, fingerprint, masked_pan, bin, expiry, entry_mode, mcc,
                     merchant_country, cvm, capture_mode, created_at, fee, status, captured, fee, $28, $30, feed_seq
              FROM numbered
            ), sealed_digests AS (
              SELECT payment_id, merchant_id, idem_key AS idempotency_key, event_d, posting_n, posting_d, payment_d, key_d
              FROM fresh
            ), """ + EventSealSql.sealDigested(28, 30, 31, 32) + """

            SELECT payment_id FROM idem""";

    /**
     * The stored answers for keys that already existed when a batch was committed: an operation's as text, an
     * authorization's as the digest of its text with the payment row as it was authorized, in the columns
     * {@link dev.payproc.ledger.read.PaymentQueries#toStored} reads, to render it again (V17).
     */
    static final String STORED_ANSWERS = """
            SELECT k.merchant_id, k.idempotency_key, k.request_hash, k.payment_id, k.response_status, k.response_body,
                   k.response_digest, p.id, p.terminal_id, p.amount, p.currency, p.card_token, p.card_fingerprint,
                   p.masked_pan, p.card_bin, p.card_expiry, p.entry_mode, p.mcc, p.merchant_country,
                   p.cardholder_verification, p.capture_mode, p.risk_score, p.reasons, p.rule_set_version, p.created_at,
                   p.auth_code, p.auth_status AS status, p.auth_captured AS captured_amount, 0::bigint AS refunded_amount,
                   p.auth_fee AS fee_amount, '[]'::json AS events
            FROM idempotency_keys k
            JOIN unnest($1::text[], $2::text[]) AS w(merchant_id, idempotency_key) USING (merchant_id, idempotency_key)
            LEFT JOIN payments p ON k.response_body IS NULL AND p.id = k.payment_id""";

    private static final Buffer NO_CIPHERTEXT = Buffer.buffer(0);
    private static final String[] LEG_ACCOUNT = {"cardholder_funding", "merchant_payable", "fee_income"};
    private static final String[] LEG_DIRECTION = {"D", "C", "C"};

    private AuthorizationBatchSql() {}

    public static Tuple insertParams(SealLink seal, List<DecidedAuthorization> batch, List<String> responseBodies) {
        int n = batch.size();
        String[] paymentId = new String[n],
                merchantId = new String[n],
                terminalId = new String[n],
                status = new String[n];
        Long[] amount = new Long[n], captured = new Long[n], createdMs = new Long[n], fee = new Long[n];
        String[] currency = new String[n], authCode = new String[n], reasons = new String[n], token = new String[n];
        Integer[] score = new Integer[n], ruleSet = new Integer[n];
        String[] fingerprint = new String[n], masked = new String[n], expiry = new String[n], entryMode = new String[n];
        String[] mcc = new String[n], country = new String[n], cvm = new String[n], capture = new String[n];
        String[] idemKey = new String[n], keyId = new String[n], bin = new String[n];
        Buffer[] requestHash = new Buffer[n], ciphertext = new Buffer[n], answerDigest = new Buffer[n];
        Buffer[] eventDigest = new Buffer[n], postingDigests = new Buffer[n], paymentDigest = new Buffer[n];
        Buffer[] keyDigest = new Buffer[n];
        Integer[] postingCount = new Integer[n];
        RowDigests digests = new RowDigests();
        for (int i = 0; i < n; i++) {
            DecidedAuthorization d = batch.get(i);
            Payment p = d.payment();
            Authorization a = p.authorization();
            paymentId[i] = p.id();
            merchantId[i] = a.merchantId();
            terminalId[i] = a.terminalId();
            status[i] = p.status().name();
            amount[i] = a.amount();
            currency[i] = a.currency();
            captured[i] = p.capturedAmount();
            authCode[i] = p.authCode();
            score[i] = p.decision().score();
            reasons[i] = reasonsJson(p.decision().reasons());
            ruleSet[i] = p.decision().ruleSetVersion();
            token[i] = a.card().token();
            fingerprint[i] = a.card().fingerprint();
            masked[i] = a.card().masked();
            bin[i] = a.card().bin();
            expiry[i] = a.card().expiry();
            entryMode[i] = a.entryMode().name();
            mcc[i] = a.mcc();
            country[i] = a.merchantCountry();
            cvm[i] = a.cardholderVerification().name();
            capture[i] = a.capture().name();
            createdMs[i] = p.createdAt().toEpochMilli();
            idemKey[i] = d.command().idempotencyKey();
            requestHash[i] = Buffer.buffer(d.command().requestHash());
            byte[] answer = RowDigests.answer(responseBodies.get(i));
            answerDigest[i] = Buffer.buffer(answer);
            byte[] ct = a.card().panCiphertext();
            ciphertext[i] = ct == null ? NO_CIPHERTEXT : Buffer.buffer(ct);
            keyId[i] = a.card().keyId() == null ? "" : a.card().keyId();
            fee[i] = p.feeAmount();
            long ms = createdMs[i];
            eventDigest[i] = Buffer.buffer(digests.event(p.id(), 1, "AUTHORIZATION", status[i], a.amount(), ms));
            Buffer legs = Buffer.buffer(96);
            int count = 0;
            // The legs as the postings view generates them from auth_captured and auth_fee (V16).
            if (captured[i] > 0) {
                long[] legAmount = {captured[i], captured[i] - fee[i], fee[i]};
                for (int leg = 0; leg < 3; leg++) {
                    if (legAmount[leg] <= 0) continue;
                    legs.appendBytes(digests.posting(
                            p.id(),
                            1,
                            leg + 1,
                            LEG_ACCOUNT[leg],
                            a.merchantId(),
                            LEG_DIRECTION[leg],
                            legAmount[leg],
                            a.currency(),
                            ms));
                    count++;
                }
            }
            postingCount[i] = count;
            postingDigests[i] = legs;
            paymentDigest[i] = Buffer.buffer(digests.payment(
                    p.id(),
                    a.merchantId(),
                    a.terminalId(),
                    a.amount(),
                    a.currency(),
                    token[i],
                    fingerprint[i],
                    masked[i],
                    bin[i],
                    authCode[i],
                    capture[i],
                    ms));
            keyDigest[i] = Buffer.buffer(digests.idempotencyRecord(
                    a.merchantId(), idemKey[i], d.command().requestHash(), p.id(), 201, answer, ms));
        }
        return Tuple.of(
                        paymentId,
                        merchantId,
                        terminalId,
                        status,
                        amount,
                        currency,
                        captured,
                        authCode,
                        score,
                        reasons,
                        ruleSet,
                        token,
                        fingerprint,
                        masked,
                        expiry,
                        entryMode,
                        mcc,
                        country,
                        cvm,
                        capture,
                        createdMs,
                        idemKey,
                        requestHash,
                        answerDigest,
                        ciphertext,
                        keyId,
                        fee,
                        seal.chain())
                .addValue(bin)
                .addValue(seal.seq())
                .addValue(seal.innerPad())
                .addValue(seal.outerPad())
                .addValue(eventDigest)
                .addValue(postingCount)
                .addValue(postingDigests)
                .addValue(paymentDigest)
                .addValue(keyDigest);
    }

    /** The parameters of {@link #STORED_ANSWERS}: each item's key as its command names it, authorization or operation. */
    static Tuple storedAnswerParams(List<? extends SettlementItem> items) {
        // addValue, not Tuple.of(a, b): two arrays would bind to the varargs overload and be spread out.
        return Tuple.tuple()
                .addValue(items.stream().map(d -> d.command().merchantId()).toArray(String[]::new))
                .addValue(items.stream().map(d -> d.command().idempotencyKey()).toArray(String[]::new));
    }

    static String reasonsJson(List<Reason> reasons) {
        if (reasons.isEmpty()) return "[]";
        StringBuilder sb = new StringBuilder(64 * reasons.size()).append('[');
        for (int i = 0; i < reasons.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"code\":");
            Errors.quote(sb, reasons.get(i).code());
            sb.append(",\"message\":");
            Errors.quote(sb, reasons.get(i).message());
            sb.append('}');
        }
        return sb.append(']').toString();
    }
}
