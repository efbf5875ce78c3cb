-- Every admin change, hash-chained: each row's hash covers its content and the previous row's hash, so an
-- edited or deleted row breaks the chain from that point on (verified by GET /admin/audit/verify).
CREATE TABLE admin_audit (
    seq        bigint PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    detail     text NOT NULL,
    prev_hash  bytea NOT NULL,
    hash       bytea NOT NULL
);

-- Rule sets as they were put through the admin API; the highest version is in force in every process.
CREATE TABLE risk_rule_sets (
    version    int PRIMARY KEY,
    document   text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
