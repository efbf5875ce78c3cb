WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                       $7::bigint[], $8::text[], $9::int[], $10::text[], $11::int[], $12::text[],
                       $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[],
                       $19::text[], $20::text[], $21::bigint[], $22::text[], $23::bytea[], $24::text[],
                       $25::bytea[], $26::text[], $27::bigint[], $29::text[])
    AS t(payment_id, merchant_id, terminal_id, status, amount, currency, captured, auth_code, risk_score,
         reasons, rule_set_version, card_token, fingerprint, masked_pan, expiry, entry_mode, mcc,
         merchant_country, cvm, capture_mode, created_ms, idem_key, request_hash, response_body,
         pan_ciphertext, key_id, fee, bin)
), stamped AS (
  SELECT input.*, timestamptz 'epoch' + created_ms * interval '1 millisecond' AS created_at FROM input
), idem AS (
  INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, payment_id, response_status,
                                response_body, created_at, seal_chain, seal_seq)
  SELECT merchant_id, idem_key, request_hash, payment_id, 201, response_body, created_at, $28, $30 FROM stamped
  ON CONFLICT DO NOTHING
  RETURNING payment_id
), fresh AS (
  SELECT s.* FROM stamped s JOIN idem USING (payment_id)
), card AS (
  INSERT INTO cards (token, merchant_id, fingerprint, masked_pan, bin, expiry, pan_ciphertext, key_id, created_at)
  SELECT card_token, merchant_id, fingerprint, masked_pan, bin, expiry, pan_ciphertext, key_id, created_at
  FROM fresh WHERE octet_length(pan_ciphertext) > 0
  ON CONFLICT (token) DO NOTHING
), pay AS (
  INSERT INTO payments (id, merchant_id, terminal_id, status, amount, currency, captured_amount, auth_code,
                        risk_score, reasons, rule_set_version, card_token, card_fingerprint, masked_pan,
                        card_bin, card_expiry, entry_mode, mcc, merchant_country, cardholder_verification,
                        capture_mode, created_at, fee_amount, seal_chain, seal_seq)
  SELECT payment_id, merchant_id, terminal_id, status, amount, currency, captured, auth_code, risk_score,
         reasons::jsonb, rule_set_version, card_token, fingerprint, masked_pan, bin, expiry, entry_mode, mcc,
         merchant_country, cvm, capture_mode, created_at, fee, $28, $30
  FROM fresh
), legs AS (
  SELECT f.payment_id, 1 AS event_seq, l.leg, l.account, f.merchant_id, l.direction, l.amount, f.currency,
         f.created_at, f.created_ms
  FROM fresh f
  CROSS JOIN LATERAL (VALUES (1, 'cardholder_funding', 'D', f.captured),
                             (2, 'merchant_payable', 'C', f.captured - f.fee),
                             (3, 'fee_income', 'C', f.fee)) AS l(leg, account, direction, amount)
  WHERE f.captured > 0 AND l.amount > 0
), post AS (
  INSERT INTO postings (payment_id, event_seq, leg, account, merchant_id, direction, amount, currency, created_at,
                        seal_chain, seal_seq)
  SELECT payment_id, event_seq, leg, account, merchant_id, direction, amount, currency, created_at, $28, $30
  FROM legs
), sealed_events AS (
  SELECT payment_id, 1 AS seq, 'AUTHORIZATION' AS type, status, amount, created_at FROM fresh
), sealed_postings AS (
  SELECT payment_id, event_seq, leg, account, merchant_id, direction, amount, currency, created_ms FROM legs
), sealed_payments AS (
  SELECT payment_id AS id, merchant_id, terminal_id, amount, currency, card_token, fingerprint AS card_fingerprint,
         masked_pan, bin AS card_bin, auth_code, capture_mode, created_ms
  FROM fresh
), sealed_keys AS (
  SELECT merchant_id, idem_key AS idempotency_key, request_hash, payment_id, 201 AS response_status,
         response_body, created_ms
  FROM fresh
),prev_seal AS (
  SELECT coalesce((SELECT hash FROM event_seals WHERE chain_id = $28::text AND seq = $30::bigint - 1),
                  ''::bytea) AS prev
), batch_parts AS (
  SELECT e.n AS events, p.n AS postings, a.n AS payments, k.n AS keys,
         sha256(coalesce(e.agg, ''::bytea)) || sha256(coalesce(p.agg, ''::bytea))
           || sha256(coalesce(a.agg, ''::bytea)) || sha256(coalesce(k.agg, ''::bytea)) AS parts
  FROM (SELECT count(*)::int AS n,
               string_agg(payment_event_digest(payment_id, seq, type, status, amount, created_at),
                          ''::bytea ORDER BY payment_id, seq) AS agg
        FROM sealed_events) e,
       (SELECT count(*)::int AS n,
               string_agg(seal_posting_digest(payment_id, event_seq, leg, account, merchant_id, direction,
                                              amount, currency, created_ms),
                          ''::bytea ORDER BY payment_id, event_seq, leg) AS agg
        FROM sealed_postings) p,
       (SELECT count(*)::int AS n,
               string_agg(seal_payment_digest(id, merchant_id, terminal_id, amount, currency, card_token,
                                              card_fingerprint, masked_pan, card_bin, auth_code,
                                              capture_mode, created_ms),
                          ''::bytea ORDER BY id) AS agg
        FROM sealed_payments) a,
       (SELECT count(*)::int AS n,
               string_agg(seal_idempotency_digest(merchant_id, idempotency_key, request_hash, payment_id,
                                                  response_status, response_body, created_ms),
                          ''::bytea ORDER BY merchant_id, idempotency_key) AS agg
        FROM sealed_keys) k
), batch_digest AS (
  SELECT b.*, sha256(b.parts) AS digest FROM batch_parts b
), seal AS (
  INSERT INTO event_seals (chain_id, seq, version, events, postings, payments, idempotency_records, parts,
                           digest, prev_hash, hash)
  SELECT $28, $30, 2, d.events, d.postings, d.payments, d.keys, d.parts, d.digest, p.prev,
         sha256($32::bytea || sha256($31::bytea || p.prev || d.digest))
  FROM batch_digest d, prev_seal p WHERE d.events + d.postings + d.payments + d.keys > 0
  RETURNING seq
), ev AS (
  INSERT INTO payment_events (payment_id, seq, type, status, amount, created_at, seal_chain, seal_seq)
  SELECT payment_id, seq, type, status, amount, created_at, $28, $30 FROM sealed_events
)
SELECT payment_id FROM idem