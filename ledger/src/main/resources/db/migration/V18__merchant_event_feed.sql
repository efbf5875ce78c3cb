-- The per-merchant event feed: every event gets its merchant's next feed sequence in the commit that writes it,
-- 1, 2, 3... with no gap. merchant_feed_heads holds each merchant's last one; a batch statement raises it once per
-- merchant (rolled back with the batch, so a failed commit leaves no gap) and the row lock serializes the commits of
-- one merchant across writers and processes, so a reader that sees sequence n+1 sees n too.
CREATE TABLE merchant_feed_heads (
    merchant_id text PRIMARY KEY,
    head        bigint NOT NULL CHECK (head >= 0)
);

-- An authorization's event is generated from its payment row (V16): its feed sequence is a column of that row.
-- Lifecycle events (and authorizations before V16) are rows: they name their merchant, to be read by sequence.
ALTER TABLE payments ADD COLUMN feed_seq bigint;
ALTER TABLE payment_event_rows ADD COLUMN merchant_id text, ADD COLUMN feed_seq bigint;

-- The events written before: numbered per merchant in (created_at, payment id, event seq) order.
UPDATE payment_event_rows e SET merchant_id = p.merchant_id FROM payments p WHERE p.id = e.payment_id;
CREATE TEMPORARY TABLE feed_numbering ON COMMIT DROP AS
    SELECT from_row, payment_id, seq, merchant_id,
           row_number() OVER (PARTITION BY merchant_id ORDER BY created_at, payment_id, seq) AS feed_seq
    FROM (SELECT true AS from_row, payment_id, seq, merchant_id, created_at FROM payment_event_rows
          WHERE merchant_id IS NOT NULL
          UNION ALL
          SELECT false, id, 1, merchant_id, created_at FROM payments WHERE auth_status IS NOT NULL) AS events;
UPDATE payment_event_rows e SET feed_seq = n.feed_seq FROM feed_numbering n
    WHERE n.from_row AND e.payment_id = n.payment_id AND e.seq = n.seq;
UPDATE payments p SET feed_seq = n.feed_seq FROM feed_numbering n WHERE NOT n.from_row AND p.id = n.payment_id;
INSERT INTO merchant_feed_heads (merchant_id, head)
    SELECT merchant_id, max(feed_seq) FROM feed_numbering GROUP BY merchant_id;

-- A processor of an earlier release would write events outside the feed: refused from now on. NOT VALID for the
-- event rows: an orphan row (its payment missing, which reconciliation reports) has no merchant to number it in.
ALTER TABLE payments ADD CONSTRAINT payments_feed CHECK (auth_status IS NULL OR feed_seq IS NOT NULL);
ALTER TABLE payment_event_rows ADD CONSTRAINT payment_event_rows_feed
    CHECK (merchant_id IS NOT NULL AND feed_seq IS NOT NULL) NOT VALID;
CREATE UNIQUE INDEX payments_feed_seq ON payments (merchant_id, feed_seq) WHERE feed_seq IS NOT NULL;
CREATE UNIQUE INDEX payment_event_rows_feed_seq ON payment_event_rows (merchant_id, feed_seq);

CREATE OR REPLACE VIEW payment_events AS
    SELECT payment_id, seq, type, status, amount, created_at, seal_chain, seal_seq, merchant_id, feed_seq
    FROM payment_event_rows
    UNION ALL
    SELECT id, 1, 'AUTHORIZATION'::text, auth_status, amount, created_at, seal_chain, seal_seq, merchant_id, feed_seq
    FROM payments WHERE auth_status IS NOT NULL;

-- Seal version 3 covers a fifth part: per merchant the feed sequences the batch took, first and count, in merchant
-- order (a merchant's events of one batch are numbered in (created_at, payment id, event seq) order, which
-- verification checks). One digest per merchant per batch, not per event.
CREATE FUNCTION seal_feed_digest(merchant_id text, first_seq bigint, events bigint)
RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(convert_to(format('%L|%s|%s', merchant_id, first_seq, events), 'UTF8'))
$$;
