-- payment_event_digest was declared IMMUTABLE, but its body calls stable functions (concat_ws, extract on a
-- timestamptz), so the planner refused to inline it. Every batch statement then ran it through the SQL-function
-- executor, which parses and plans its body again on each execution: about 100 us of PostgreSQL CPU per batch
-- (InsertCeiling, single payments, three alternating runs: 393-545 -> 317-345 us). Declared STABLE, which is
-- what it is, it is inlined when the prepared statement is planned, and the digest itself is unchanged.
ALTER FUNCTION payment_event_digest(text, int, text, text, bigint, timestamptz) STABLE;
