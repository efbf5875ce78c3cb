-- Disputes (chargebacks) and cardholder complaints (issue 18).
--
-- A dispute holds part of a payment's captured money: payments.disputed_amount is what its open, accepted and lost
-- disputes hold, written in the statement that writes the dispute's event and postings, so refunds and disputes
-- together can never exceed the captured amount, whatever writes the rows. Existing payments have no dispute.
ALTER TABLE payments
    ADD COLUMN disputed_amount bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT payments_refunds_and_disputes
        CHECK (disputed_amount >= 0 AND refunded_amount + disputed_amount <= captured_amount);

-- The dispute itself: derived state like payments.status (its events and postings are sealed payment events,
-- DISPUTE_OPENED, DISPUTE_EVIDENCE, DISPUTE_ACCEPTED, DISPUTE_WON, DISPUTE_LOST; reconciliation checks this row
-- against them). Evidence is bounded text and file references, never the files. No foreign key to payments: like the
-- event and posting rows (V7), which would put a row trigger on every update of a payment; reconciliation names an
-- orphan instead.
CREATE TABLE disputes (
    id           text PRIMARY KEY,
    payment_id   text NOT NULL,
    merchant_id  text NOT NULL,
    reason_code  text NOT NULL CHECK (length(reason_code) BETWEEN 1 AND 32),
    amount       bigint NOT NULL CHECK (amount > 0),
    currency     char(3) NOT NULL,
    status       text NOT NULL CHECK (status IN ('OPEN', 'EVIDENCE_SUBMITTED', 'ACCEPTED', 'WON', 'LOST')),
    due_date     date NOT NULL,
    evidence     jsonb CHECK (evidence IS NULL OR octet_length(evidence::text) <= 16384),
    evidence_at  timestamptz,
    fee          bigint NOT NULL DEFAULT 0 CHECK (fee >= 0),
    complaint_id text,
    opened_at    timestamptz NOT NULL,
    closed_at    timestamptz,
    CHECK ((status IN ('OPEN', 'EVIDENCE_SUBMITTED')) = (closed_at IS NULL)),
    CHECK ((status = 'EVIDENCE_SUBMITTED') <= (evidence IS NOT NULL))
);
CREATE INDEX disputes_payment ON disputes (payment_id);
CREATE INDEX disputes_merchant ON disputes (merchant_id, opened_at);
CREATE INDEX disputes_status ON disputes (status, opened_at);

-- A cardholder's complaint about a payment, recorded by the merchant or by support (an admin key); escalated, it
-- opens a dispute. Its creation is idempotent per recorder and key: the first answer is stored and replayed.
CREATE TABLE complaints (
    id              text PRIMARY KEY,
    payment_id      text NOT NULL,
    merchant_id     text NOT NULL,
    source          text NOT NULL CHECK (source IN ('merchant', 'support')),
    reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 64),
    description     text NOT NULL CHECK (length(description) <= 4000),
    status          text NOT NULL CHECK (status IN ('OPEN', 'ESCALATED')),
    dispute_id      text REFERENCES disputes (id),
    idempotency_key text NOT NULL,
    request_hash    bytea NOT NULL,
    response_body   text NOT NULL,
    created_at      timestamptz NOT NULL,
    CHECK ((status = 'ESCALATED') = (dispute_id IS NOT NULL)),
    UNIQUE (merchant_id, source, idempotency_key)
);
CREATE INDEX complaints_payment ON complaints (payment_id);
CREATE INDEX complaints_status ON complaints (status, created_at);

-- A settlement day counts its disputes: opened (taken from the payable), won (given back) and lost (to the
-- cardholder; not the merchant's money any more either way). Days settled before had none.
ALTER TABLE settlements
    ADD COLUMN dispute_count int NOT NULL DEFAULT 0,
    ADD COLUMN dispute_amount bigint NOT NULL DEFAULT 0,
    ADD COLUMN dispute_won_amount bigint NOT NULL DEFAULT 0,
    ADD COLUMN dispute_lost_amount bigint NOT NULL DEFAULT 0;
ALTER TABLE settlements DROP CONSTRAINT settlements_net;
ALTER TABLE settlements ADD CONSTRAINT settlements_net
    CHECK (net_amount = capture_amount - fee_amount - refund_amount - dispute_amount + dispute_won_amount);
