-- What the merchant was charged for a payment (fee income), and the fees inside a day's settlement.
ALTER TABLE payments ADD COLUMN fee_amount bigint NOT NULL DEFAULT 0 CHECK (fee_amount >= 0 AND fee_amount <= captured_amount);
ALTER TABLE settlements ADD COLUMN fee_amount bigint NOT NULL DEFAULT 0;
ALTER TABLE settlements DROP CONSTRAINT settlements_check;
ALTER TABLE settlements ADD CONSTRAINT settlements_net CHECK (net_amount = capture_amount - fee_amount - refund_amount);
