-- A merchant's settlement for one business day (UTC) and currency: the day's captures and refunds on
-- merchant_payable, and the net moved from payable to settled. One per merchant, day and currency.
CREATE TABLE settlements (
    id              text PRIMARY KEY,
    merchant_id     text NOT NULL REFERENCES merchants (id),
    business_date   date NOT NULL,
    currency        char(3) NOT NULL,
    capture_count   int NOT NULL,
    capture_amount  bigint NOT NULL,
    refund_count    int NOT NULL,
    refund_amount   bigint NOT NULL,
    net_amount      bigint NOT NULL CHECK (net_amount = capture_amount - refund_amount),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (merchant_id, business_date, currency)
);

-- The balanced postings of a settlement run (payable -> settled), kept apart from payment postings.
CREATE TABLE settlement_postings (
    settlement_id text NOT NULL REFERENCES settlements (id),
    leg           int NOT NULL,
    account       text NOT NULL,
    merchant_id   text NOT NULL,
    direction     char(1) NOT NULL CHECK (direction IN ('D', 'C')),
    amount        bigint NOT NULL CHECK (amount > 0),
    currency      char(3) NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (settlement_id, leg)
);

CREATE INDEX postings_merchant_day ON postings (merchant_id, created_at);
