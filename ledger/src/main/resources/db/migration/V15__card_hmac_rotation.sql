-- Rotating CARD_HMAC_KEY (CardHmacRotation; README "Card keys").
--
-- hmac_epoch: which generation of CARD_HMAC_KEY made the card's fingerprint (1 = the key the database was first used
-- with). A rotation to generation n sets the column's DEFAULT to n in its first transaction (metadata only), so cards
-- the writers insert afterwards carry n without their INSERT naming the column, and rewrites every card below n.
-- alias: the token the CURRENT key derives for the card when that differs from its token (the token it was first
-- given, which merchants hold and payments name): a card presented again by PAN is tokenized under the current key
-- and, when that token is an alias, resolved to the card's first token. NULL otherwise, so cards made under the
-- current key (every new card) cost the partial unique index nothing.
ALTER TABLE cards
    ADD COLUMN alias text,
    ADD COLUMN hmac_epoch int NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX cards_alias ON cards (alias) WHERE alias IS NOT NULL;

-- One row per rotation of CARD_HMAC_KEY, to generation epoch (2, 3, ...): the check values of the key rotated from and
-- to (key_checks 'CARD_HMAC_KEY' holds check_value from the rotation's first transaction on), when it started and
-- finished (NULL while cards remain to rewrite: the next start with that key resumes it), and what it rewrote.
CREATE TABLE card_hmac_rotations (
    epoch                   int PRIMARY KEY CHECK (epoch > 1),
    previous_check          bytea NOT NULL,
    check_value             bytea NOT NULL,
    started_at              timestamptz NOT NULL DEFAULT now(),
    finished_at             timestamptz,
    cards_rewritten         bigint NOT NULL DEFAULT 0,
    blocklist_translated    int NOT NULL DEFAULT 0,
    blocklist_untranslated  int NOT NULL DEFAULT 0
);
