-- One check value per card encryption key id (HMAC-SHA256 of the key over a fixed text, CardKeys.checkValues): a
-- process started with a different key under an id already used refuses to start, before it encrypts anything the
-- key stored under that id could not decrypt, or stops decrypting what it did. Not the key: it cannot be derived.
CREATE TABLE card_key_checks (
    key_id      text PRIMARY KEY,
    check_value bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
