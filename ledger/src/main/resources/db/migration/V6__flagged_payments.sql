-- The SRE console asks every second for the newest declined, challenged and reviewed payments: a partial index
-- keeps that a short index scan however large the ledger grows, and costs writes only for flagged payments.
CREATE INDEX payments_flagged_time ON payments (created_at DESC) WHERE status IN ('DECLINED', 'CHALLENGE', 'REVIEW');
