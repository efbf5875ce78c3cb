-- Indexes for the queries the processor runs, instead of ones it never runs. No query reads payments by card
-- fingerprint or by merchant and time, yet each payment paid an insert into both of those indexes; while the
-- queries that do run over payments by time found no index and read the whole table:
--  * the risk-state rebuild at every start and backtests (created_at ranges, in created_at, id order), and
--  * the expiry sweeper every EXPIRY_SWEEP_MS (uncaptured MANUAL authorizations, oldest first), which on a
--    ledger of months would scan every payment each minute.
DROP INDEX payments_card_time;
DROP INDEX payments_merchant_time;
CREATE INDEX payments_created ON payments (created_at, id);
-- Only payments still waiting for a capture: small, and a payment leaves it once captured, voided or expired.
CREATE INDEX payments_awaiting_capture ON payments (created_at)
    WHERE status IN ('APPROVED', 'REVIEW') AND capture_mode = 'MANUAL' AND captured_amount = 0;
