-- Signed webhooks (issue 17, second half). The merchant's event feed (V18) is the outbox: an endpoint keeps a cursor
-- into it, so nothing is written on the authorization path. delivered_seq is the last feed sequence accepted, parked or
-- stepped over as not subscribed; it starts at the merchant's head when the endpoint is registered.
CREATE TABLE webhook_endpoints (
    id                text PRIMARY KEY,
    merchant_id       text NOT NULL REFERENCES merchants (id),
    url               text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    event_types       text[] NOT NULL, -- empty: every type
    -- AES-256-GCM (IV first) under a key derived from the card encryption key of this id; never in clear
    secret_ciphertext bytea NOT NULL,
    secret_key_id     text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    disabled_at       timestamptz,
    delivered_seq     bigint NOT NULL CHECK (delivered_seq >= 0),
    attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0), -- failures of the event after the cursor
    next_attempt_at   timestamptz NOT NULL DEFAULT now(),
    -- the process delivering it now; an expired lease (a killed process's) is taken over
    lease_owner       text,
    lease_until       timestamptz
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id);
CREATE INDEX webhook_endpoints_due ON webhook_endpoints (next_attempt_at) WHERE disabled_at IS NULL;

-- Every attempt and how it ended; pruned by the dispatcher (30 days, at most the newest 1000 per endpoint).
CREATE TABLE webhook_attempts (
    id          bigserial PRIMARY KEY,
    endpoint_id text NOT NULL REFERENCES webhook_endpoints (id),
    feed_seq    bigint NOT NULL,
    attempt     integer NOT NULL CHECK (attempt >= 1),
    resend      boolean NOT NULL,
    started_at  timestamptz NOT NULL,
    duration_ms bigint NOT NULL,
    http_status integer,
    outcome     text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'timeout', 'error', 'parked', 'resent')),
    error       text CHECK (length(error) <= 300)
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id DESC);

-- Events given up after the last attempt; a re-send is asked for (resend_requested_at) and done once (resent_at).
CREATE TABLE webhook_parked (
    endpoint_id         text NOT NULL REFERENCES webhook_endpoints (id),
    feed_seq            bigint NOT NULL,
    parked_at           timestamptz NOT NULL DEFAULT now(),
    resend_requested_at timestamptz,
    resent_at           timestamptz,
    PRIMARY KEY (endpoint_id, feed_seq)
);
CREATE INDEX webhook_parked_resend ON webhook_parked (endpoint_id) WHERE resend_requested_at IS NOT NULL;
