-- An authorization's first event and its postings are written as three columns of its payment row instead of four
-- rows of their own (and their eleven index entries): they are a function of what the payment row holds. What the
-- authorization decided (auth_status), captured (auth_captured) and charged (auth_fee) never changes afterwards;
-- status, captured_amount and fee_amount do, with captures, voids and refunds.
--
-- payment_events and postings are now views: the rows written (lifecycle events and their postings, and every
-- authorization committed before this migration, whose auth_* columns stay NULL) plus the rows generated from the
-- payment rows. Every reader sees exactly the rows it saw before, with the same values, so the seals (which cover
-- each event and posting) verify unchanged, and an edit of an auth_* column shows as an edited event or posting.
ALTER TABLE payments
    ADD COLUMN auth_status text,
    ADD COLUMN auth_captured bigint,
    ADD COLUMN auth_fee bigint,
    ADD CONSTRAINT payments_auth_ledger CHECK (
        (auth_status IS NULL AND auth_captured IS NULL AND auth_fee IS NULL)
        OR (auth_status IS NOT NULL AND auth_captured >= 0 AND auth_captured <= amount
            AND auth_fee >= 0 AND auth_fee <= auth_captured));

ALTER TABLE payment_events RENAME TO payment_event_rows;
ALTER TABLE postings RENAME TO posting_rows;

CREATE VIEW payment_events AS
    SELECT payment_id, seq, type, status, amount, created_at, seal_chain, seal_seq FROM payment_event_rows
    UNION ALL
    SELECT id, 1, 'AUTHORIZATION'::text, auth_status, amount, created_at, seal_chain, seal_seq
    FROM payments WHERE auth_status IS NOT NULL;

-- The legs of an authorization that captured at once, as the writers wrote them: the cardholder's funding debited,
-- the merchant's payable and the fee income credited; a leg of 0 is not a posting.
CREATE VIEW postings AS
    SELECT payment_id, event_seq, leg, account, merchant_id, direction, amount, currency, created_at, seal_chain, seal_seq
    FROM posting_rows
    UNION ALL
    SELECT p.id, 1, l.leg, l.account, p.merchant_id, l.direction, l.amount, p.currency, p.created_at, p.seal_chain,
           p.seal_seq
    FROM payments p
    CROSS JOIN LATERAL (VALUES (1, 'cardholder_funding'::text, 'D'::char(1), p.auth_captured),
                               (2, 'merchant_payable'::text, 'C'::char(1), p.auth_captured - p.auth_fee),
                               (3, 'fee_income'::text, 'C'::char(1), p.auth_fee)) AS l(leg, account, direction, amount)
    WHERE p.auth_captured > 0 AND l.amount > 0;

-- Balances and settlement reports read a merchant's postings (by currency and account, and by day): the written
-- ones through posting_rows' indexes, the generated ones through this one, an entry per payment instead of two per
-- posting.
CREATE INDEX payments_merchant_created ON payments (merchant_id, created_at);
