-- Tamper evidence for payment state changes. Every committed batch of payment events is sealed by one row of
-- its settlement writer's chain: the SHA-256 digest of the batch's events (in payment id, seq order) and a
-- hash over the previous seal's hash and that digest. Editing or deleting an event changes its seal's digest;
-- deleting or editing a seal breaks the chain after it. A writer starts a new chain each time it starts.
ALTER TABLE payment_events ADD COLUMN seal_chain text, ADD COLUMN seal_seq bigint;
CREATE INDEX payment_events_seal ON payment_events (seal_chain, seal_seq);

CREATE TABLE event_seals (
    chain_id    text NOT NULL,
    seq         bigint NOT NULL,
    events      int NOT NULL,
    digest      bytea NOT NULL,
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chain_id, seq)
);

-- The digest of one event: what verification recomputes from the stored row.
CREATE FUNCTION payment_event_digest(payment_id text, seq int, type text, status text, amount bigint, created_at timestamptz)
RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT sha256(convert_to(concat_ws('|', payment_id, seq, type, status, amount,
                                     (extract(epoch FROM created_at) * 1000)::bigint), 'UTF8'))
$$;
