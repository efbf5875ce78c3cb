-- A complaint can be closed (issue 18): support answers it with a resolution, a sentence, and it takes no further
-- step (neither escalation nor a second closing). The closing's answer is kept with its idempotency key and request
-- hash on the row, as the recording's is, so a retry is answered the same bytes. An existing complaint stays as it is.
ALTER TABLE complaints
    DROP CONSTRAINT complaints_status_check,
    ADD CONSTRAINT complaints_status_check CHECK (status IN ('OPEN', 'ESCALATED', 'CLOSED')),
    ADD COLUMN resolution text CHECK (length(resolution) BETWEEN 1 AND 1000),
    ADD COLUMN closed_at timestamptz,
    ADD COLUMN close_idempotency_key text,
    ADD COLUMN close_request_hash bytea,
    ADD COLUMN close_response_body text,
    ADD CONSTRAINT complaints_closed CHECK (
        (status = 'CLOSED') = (resolution IS NOT NULL AND closed_at IS NOT NULL AND close_idempotency_key IS NOT NULL
                               AND close_request_hash IS NOT NULL AND close_response_body IS NOT NULL));
