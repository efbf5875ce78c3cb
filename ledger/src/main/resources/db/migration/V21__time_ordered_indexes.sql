-- Two indexes that every payment writes to, narrowed to the part their queries search by (measured with
-- InsertCeiling, docs/PERFORMANCE.md): a card's index by key id now ends in its creation time, not its token, and
-- the payments' time index holds only the time.
-- * cards (key_id, token) took a 78-byte entry per card at a random leaf (the token is an HMAC), so after every
--   checkpoint each insert risked a full-page image in the WAL; (key_id, created_at) is filled at its right edge and
--   deduplicated (7 bytes per card at 20,000 cards/s, about 20 when no two share a millisecond). Re-encryption pages a retired id's cards in (created_at, token) order, and the
--   loose index scan of the key ids in use (CardKeyChecks) reads its first column as before.
-- * payments (created_at, id) carried the 27-character payment id in every entry; (created_at) alone serves the
--   same range reads in the same order (the ties of one millisecond are sorted after the index, a few rows each).
CREATE INDEX cards_key_id_created ON cards (key_id, created_at);
DROP INDEX cards_key_id_token;
DROP INDEX payments_created;
CREATE INDEX payments_created ON payments (created_at);
