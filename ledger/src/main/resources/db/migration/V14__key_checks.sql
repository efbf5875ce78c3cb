-- One check value per key that is not an encryption key by id (KeyChecks): CARD_HMAC_KEY (the tokens and
-- fingerprints of every stored card are derived from it) and AUDIT_HMAC_KEY (every seal and the admin audit are
-- keyed with it). The first start records them; a process given another key refuses to start, naming the setting,
-- instead of splitting card identities or seeing every seal as tampered. A check value is an HMAC of the key over
-- a fixed text: the key cannot be derived from it.
CREATE TABLE key_checks (
    name        text PRIMARY KEY,
    check_value bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The cards under one encryption key id, in token order: the start-up check lists the ids in use without reading
-- every card, and re-encryption pages through the cards of a retired id (CardReEncryption).
CREATE INDEX cards_key_id_token ON cards (key_id, token);
