-- Keyed seals over every money-moving row. A seal's hash is now HMAC-SHA256 under a key derived for that one seal
-- from AUDIT_HMAC_KEY (outside the database): hash = HMAC(k_seal, prev_hash || digest), k_seal =
-- HMAC(AUDIT_HMAC_KEY, 'seal ' || chain || ' ' || seq). Only the key of the seal being written reaches PostgreSQL,
-- as statement parameters (its HMAC inner and outer pads), so write access to the database is not enough to
-- rebuild a chain after an edit.
--
-- Coverage (event_seals.version): 1 = the batch's events only (the seals written before this migration, re-keyed
-- once by the processor at start), 2 = the batch's events, their postings, the immutable creation fields of the
-- payments it authorized and the idempotency records it committed, with a digest of each stored answer.
-- parts = the four digests (events, postings, payments, idempotency records, 32 bytes each) and digest =
-- sha256(parts), so verification can tell which kind of row differs. Every covered row names its seal.
ALTER TABLE event_seals
    ADD COLUMN version smallint NOT NULL DEFAULT 1,
    ADD COLUMN postings int NOT NULL DEFAULT 0,
    ADD COLUMN payments int NOT NULL DEFAULT 0,
    ADD COLUMN idempotency_records int NOT NULL DEFAULT 0,
    ADD COLUMN parts bytea;
ALTER TABLE postings ADD COLUMN seal_chain text, ADD COLUMN seal_seq bigint;
ALTER TABLE payments ADD COLUMN seal_chain text, ADD COLUMN seal_seq bigint;
ALTER TABLE idempotency_keys ADD COLUMN seal_chain text, ADD COLUMN seal_seq bigint;

-- The one-time carrying forward of the unkeyed seals (LegacySeals): done once per database, under the key whose
-- HMAC is in mac, so that an unkeyed chain added later is reported, never re-keyed.
CREATE TABLE seal_rekeying (
    id              int PRIMARY KEY CHECK (id = 1),
    done_at         timestamptz NOT NULL,
    chains_rekeyed  int NOT NULL,
    seals_rekeyed   bigint NOT NULL,
    chains_broken   int NOT NULL,
    legacy_chain    text,
    rows_sealed     bigint NOT NULL,
    mac             bytea NOT NULL
);

-- The digests of the rows a version-2 seal covers. Fields are written with format's %L (quoted, NULL unquoted),
-- so no value can run into the next. STABLE (format is), so they are inlined into the statements. A row's time
-- enters as epoch milliseconds, which the batch statements have as they are (verification derives them from the
-- stored timestamptz): extract(epoch ...) works in numeric, a few microseconds per call on the hot path.
CREATE FUNCTION seal_posting_digest(payment_id text, event_seq int, leg int, account text, merchant_id text,
                                    direction text, amount bigint, currency text, created_ms bigint)
RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(convert_to(format('%L|%s|%s|%L|%L|%L|%s|%L|%s', payment_id, event_seq, leg, account, merchant_id,
                                  direction, amount, currency, created_ms), 'UTF8'))
$$;

-- The epoch milliseconds of a stored time, as verification and the legacy sealing give them to the digests.
CREATE FUNCTION seal_ms(t timestamptz) RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT (extract(epoch FROM t) * 1000)::bigint
$$;

CREATE FUNCTION seal_payment_digest(id text, merchant_id text, terminal_id text, amount bigint, currency text,
                                    card_token text, card_fingerprint text, masked_pan text, card_bin text,
                                    auth_code text, capture_mode text, created_ms bigint)
RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(convert_to(format('%L|%L|%L|%s|%L|%L|%L|%L|%L|%L|%L|%s', id, merchant_id, terminal_id, amount, currency,
                                  card_token, card_fingerprint, masked_pan, card_bin, auth_code, capture_mode,
                                  created_ms), 'UTF8'))
$$;

-- The stored answer (the replay body) enters as its own SHA-256, first (fixed length), then the record's fields.
CREATE FUNCTION seal_idempotency_digest(merchant_id text, idempotency_key text, request_hash bytea, payment_id text,
                                        response_status int, response_body text, created_ms bigint)
RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(sha256(convert_to(response_body, 'UTF8'))
                || convert_to(format('%L|%L|%s|%L|%s|%s', merchant_id, idempotency_key, encode(request_hash, 'hex'),
                                     payment_id, response_status, created_ms), 'UTF8'))
$$;
