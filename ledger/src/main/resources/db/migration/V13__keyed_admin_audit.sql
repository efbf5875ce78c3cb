-- The admin audit becomes a keyed chain: each row's hash is HMAC-SHA256 under a key derived from AUDIT_HMAC_KEY (which
-- never reaches the database) over the previous hash and the row's content, so write access to this table is not
-- enough to edit a row or append one that verifies. hash_version says how a row was hashed: 0 = unkeyed SHA-256 (the
-- rows written before this migration, and any insert that does not say otherwise), 1 = keyed. The processor re-keys
-- an intact unkeyed chain once at start (audited); from then on verification refuses every row that is not keyed.
ALTER TABLE admin_audit ADD COLUMN hash_version smallint NOT NULL DEFAULT 0;
