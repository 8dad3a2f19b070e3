-- Completion callbacks, written in the same transaction that ends an evaluation (an outbox), so a callback is
-- never lost when a worker dies right after finishing; workers deliver them with retries and backoff.
CREATE TABLE callback_delivery (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    evaluation_id    uuid        NOT NULL REFERENCES evaluation (id) ON DELETE CASCADE,
    url              text        NOT NULL,
    event            text        NOT NULL,
    payload          jsonb       NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    -- The next time a dispatcher may try; a dispatcher that takes the row moves it ahead by its timeout.
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    -- Set when the dispatcher gave up after its last attempt.
    abandoned_at     timestamptz,
    last_status      integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT callback_delivery_one_per_evaluation UNIQUE (evaluation_id),
    CONSTRAINT callback_delivery_event_known
        CHECK (event IN ('evaluation.succeeded', 'evaluation.failed', 'evaluation.cancelled'))
);

CREATE INDEX callback_delivery_due_idx ON callback_delivery (next_attempt_at)
    WHERE delivered_at IS NULL AND abandoned_at IS NULL;
