-- An authorization's stored answer is no longer kept as text: it is a rendering of the payment row as it was
-- authorized (auth_status, auth_captured, auth_fee, and the immutable creation fields), which a replay after a
-- restart renders again. What is kept is the SHA-256 of the answer sent (response_digest), which the seal covers as
-- it covered the text's, and which a replay's rendering must match before it is sent: an edited payment row can
-- never be replayed as if it had been the answer. Lifecycle answers (a rendering of the payment after the operation,
-- whose state later operations change) are still stored as text.
ALTER TABLE idempotency_keys
    ALTER COLUMN response_body DROP NOT NULL,
    ADD COLUMN response_digest bytea,
    ADD CONSTRAINT idempotency_keys_answer CHECK (
        (response_body IS NOT NULL) <> (response_digest IS NOT NULL)
        AND (response_digest IS NULL OR octet_length(response_digest) = 32));

-- The digest of an idempotency record as V12's, with the answer's SHA-256 either computed from its text or stored:
-- the same bytes for every record written before (they all have text).
CREATE FUNCTION seal_idempotency_digest(merchant_id text, idempotency_key text, request_hash bytea, payment_id text,
                                        response_status int, response_body text, response_digest bytea,
                                        created_ms bigint)
RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(coalesce(sha256(convert_to(response_body, 'UTF8')), response_digest)
                || convert_to(format('%L|%L|%s|%L|%s|%s', merchant_id, idempotency_key, encode(request_hash, 'hex'),
                                     payment_id, response_status, created_ms), 'UTF8'))
$$;
