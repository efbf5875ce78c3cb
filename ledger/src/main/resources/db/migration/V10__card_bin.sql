-- The BIN the blocklist matches (CardTokenizer.bin: 8 digits, 6 for PANs under 16 digits), kept with the card
-- for payments by token and with each payment for backtests: the masked PAN shows only 6 digits.
-- Nullable, so that adding them rewrites no existing row; rows from before know only the masked PAN's 6
-- digits, and readers take those (coalesce(bin, left(masked_pan, 6))).
ALTER TABLE cards ADD COLUMN bin text;
ALTER TABLE payments ADD COLUMN card_bin text;
