-- Merchants and their terminal API keys. Keys are stored only as SHA-256 hashes of high-entropy secrets.
CREATE TABLE merchants (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    key_hash    bytea PRIMARY KEY,
    merchant_id text NOT NULL REFERENCES merchants (id),
    key_prefix  text NOT NULL,            -- the first characters, so an operator can tell keys apart
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_keys_merchant ON api_keys (merchant_id);

-- Cards as the processor keeps them: never the PAN in clear. The token is merchant-scoped; the
-- fingerprint (keyed HMAC) identifies the card across merchants for risk; the ciphertext (AES-GCM,
-- IV prepended) is for clearing, under the key named by key_id.
CREATE TABLE cards (
    token          text PRIMARY KEY,
    merchant_id    text NOT NULL REFERENCES merchants (id),
    fingerprint    text NOT NULL,
    masked_pan     text NOT NULL,
    expiry         text NOT NULL,
    pan_ciphertext bytea NOT NULL,
    key_id         text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payments (
    id                      text PRIMARY KEY,
    merchant_id             text NOT NULL REFERENCES merchants (id),
    terminal_id             text NOT NULL,
    status                  text NOT NULL CHECK (status IN ('APPROVED', 'DECLINED', 'CHALLENGE', 'REVIEW',
                                                            'CAPTURED', 'VOIDED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'EXPIRED')),
    amount                  bigint NOT NULL CHECK (amount > 0),
    currency                char(3) NOT NULL,
    captured_amount         bigint NOT NULL DEFAULT 0 CHECK (captured_amount >= 0 AND captured_amount <= amount),
    refunded_amount         bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= captured_amount),
    auth_code               text,
    risk_score              int NOT NULL CHECK (risk_score BETWEEN 0 AND 1000),
    reasons                 jsonb NOT NULL,
    rule_set_version        int NOT NULL,
    card_token              text NOT NULL,
    card_fingerprint        text NOT NULL,
    masked_pan              text NOT NULL,
    card_expiry             text NOT NULL,
    entry_mode              text NOT NULL,
    mcc                     text NOT NULL,
    merchant_country        text NOT NULL,
    cardholder_verification text NOT NULL,
    capture_mode            text NOT NULL,
    created_at              timestamptz NOT NULL
);
CREATE INDEX payments_card_time ON payments (card_fingerprint, created_at);
CREATE INDEX payments_merchant_time ON payments (merchant_id, created_at);

-- Every state change of a payment, in order.
CREATE TABLE payment_events (
    payment_id  text NOT NULL REFERENCES payments (id),
    seq         int NOT NULL,
    type        text NOT NULL,
    status      text NOT NULL,
    amount      bigint NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (payment_id, seq)
);

-- Double-entry ledger: each event's postings balance (sum of debits = sum of credits per currency).
CREATE TABLE postings (
    payment_id  text NOT NULL REFERENCES payments (id),
    event_seq   int NOT NULL,
    leg         int NOT NULL,
    account     text NOT NULL,      -- cardholder_funding, merchant_payable, merchant_settled, fee_income
    merchant_id text NOT NULL,
    direction   char(1) NOT NULL CHECK (direction IN ('D', 'C')),
    amount      bigint NOT NULL CHECK (amount > 0),
    currency    char(3) NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (payment_id, event_seq, leg)
);
CREATE INDEX postings_merchant ON postings (merchant_id, currency, account);

-- The committed answer to each Idempotency-Key, scoped per merchant, written in the same statement as
-- the payment it created so that a replay can never disagree with the ledger.
CREATE TABLE idempotency_keys (
    merchant_id     text NOT NULL,
    idempotency_key text NOT NULL,
    request_hash    bytea NOT NULL,
    payment_id      text NOT NULL,
    response_status int NOT NULL,
    response_body   text NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, idempotency_key)
);
