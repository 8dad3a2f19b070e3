-- Assay's schema. Flyway applies these files in version order; eval-api migrates at start-up, eval-worker only
-- validates. A file that has shipped is never edited: changes go into a new V<n>__<what>.sql.
--
-- Times are timestamptz and always come from the database clock (now()), so workers on hosts with skewed
-- clocks agree about leases.

-- The job: one submitted evaluation of one model on a list of tasks.
CREATE TABLE evaluation (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    state            text        NOT NULL DEFAULT 'queued',
    priority         integer     NOT NULL DEFAULT 0,
    model_name       text        NOT NULL,
    model_uri        text        NOT NULL,
    model_revision   text,
    chat_template    text,
    -- The request as submitted (after parsing), kept so a job can be re-run or audited exactly.
    spec             jsonb       NOT NULL,
    labels           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    callback_url     text,
    cancel_requested boolean     NOT NULL DEFAULT false,
    attempt          integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL DEFAULT 3,
    lease_owner      text,
    lease_expires_at timestamptz,
    -- Why the job ended failed or cancelled; the history of every attempt's error is in attempt_errors.
    error            text,
    attempt_errors   jsonb       NOT NULL DEFAULT '[]'::jsonb,
    idempotency_key  text        UNIQUE,
    request_hash     text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    CONSTRAINT evaluation_state_known
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    CONSTRAINT evaluation_finished_iff_terminal
        CHECK ((finished_at IS NOT NULL) = (state IN ('succeeded', 'failed', 'cancelled'))),
    -- A running job always has an owner and a lease; no other state has either.
    CONSTRAINT evaluation_lease_iff_running
        CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CONSTRAINT evaluation_priority_range CHECK (priority BETWEEN -1000 AND 1000),
    CONSTRAINT evaluation_attempts_valid CHECK (max_attempts > 0 AND attempt >= 0),
    CONSTRAINT evaluation_model_name_length CHECK (char_length(model_name) BETWEEN 1 AND 200),
    CONSTRAINT evaluation_labels_object CHECK (jsonb_typeof(labels) = 'object'),
    CONSTRAINT evaluation_key_has_hash CHECK ((idempotency_key IS NULL) = (request_hash IS NULL))
);

-- The queue claim: queued jobs, highest priority first, then oldest (matches the claim's ORDER BY).
CREATE INDEX evaluation_claim_idx ON evaluation (priority DESC, created_at, id) WHERE state = 'queued';
-- The reaper: running jobs by lease expiry.
CREATE INDEX evaluation_lease_idx ON evaluation (lease_expires_at) WHERE state = 'running';
-- Listing, newest first, optionally by state or model.
CREATE INDEX evaluation_created_idx ON evaluation (created_at DESC, id DESC);
CREATE INDEX evaluation_state_created_idx ON evaluation (state, created_at DESC);
-- The leaderboard: the latest finished evaluation of each model.
CREATE INDEX evaluation_model_finished_idx ON evaluation (model_name, finished_at DESC) WHERE state = 'succeeded';
-- Label filters (labels @> '{"run":"dpo-1"}').
CREATE INDEX evaluation_labels_idx ON evaluation USING gin (labels jsonb_path_ops);

-- One task of an evaluation (alpaca_eval, arc_easy, ...), with its own state and progress.
CREATE TABLE evaluation_task (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    evaluation_id     uuid        NOT NULL REFERENCES evaluation (id) ON DELETE CASCADE,
    position          integer     NOT NULL,
    name              text        NOT NULL,
    -- The task's options with every default filled in: what the worker runs.
    options           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    state             text        NOT NULL DEFAULT 'queued',
    phase             text,
    done              integer     NOT NULL DEFAULT 0,
    total             integer,
    -- When the current phase started and how much was done then: the basis of the rate and ETA.
    phase_started_at  timestamptz,
    phase_done_start  integer     NOT NULL DEFAULT 0,
    -- A task's own result beyond its metrics (e.g. outputs that could not be joined to the eval set).
    result            jsonb,
    error             text,
    started_at        timestamptz,
    finished_at       timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT evaluation_task_unique_name UNIQUE (evaluation_id, name),
    CONSTRAINT evaluation_task_unique_position UNIQUE (evaluation_id, position),
    CONSTRAINT evaluation_task_state_known
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    CONSTRAINT evaluation_task_phase_known
        CHECK (phase IS NULL OR phase IN ('loading', 'generating', 'judging', 'scoring')),
    CONSTRAINT evaluation_task_progress_valid
        CHECK (done >= 0 AND (total IS NULL OR (total >= 0 AND done <= total))),
    CONSTRAINT evaluation_task_finished_iff_terminal
        CHECK ((finished_at IS NOT NULL) = (state IN ('succeeded', 'failed', 'cancelled')))
);

-- The leaderboard joins tasks by name.
CREATE INDEX evaluation_task_name_idx ON evaluation_task (name, evaluation_id);

-- One generated answer per example of a task. The primary key makes a resumed job skip what is done.
CREATE TABLE generation (
    task_id        bigint      NOT NULL REFERENCES evaluation_task (id) ON DELETE CASCADE,
    example_id     text        NOT NULL,
    prompt         text,
    output         text        NOT NULL,
    prompt_tokens  integer,
    output_tokens  integer,
    finish_reason  text,
    latency_ms     integer,
    -- Which attempt of the job wrote the row (for audits of resumed jobs).
    attempt        integer     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, example_id),
    CONSTRAINT generation_finish_reason_known
        CHECK (finish_reason IS NULL OR finish_reason IN ('eos', 'stop', 'length', 'provided'))
);

-- One judge verdict per example and annotator. output_1 is the reference, output_2 the evaluated model,
-- as in alpaca_eval; preference follows alpaca_eval's encoding (1 = reference better, 2 = model better,
-- 1.5 = tie, soft values in between, NULL = the judge's answer could not be parsed).
CREATE TABLE judgment (
    task_id            bigint           NOT NULL REFERENCES evaluation_task (id) ON DELETE CASCADE,
    example_id         text             NOT NULL,
    annotator          text             NOT NULL,
    instruction        text             NOT NULL,
    output_1           text             NOT NULL,
    generator_1        text             NOT NULL,
    output_2           text             NOT NULL,
    generator_2        text             NOT NULL,
    -- True when the model's output (output_2) was shown to the judge first.
    model_shown_first  boolean          NOT NULL,
    preference         double precision,
    raw_completion     jsonb,
    prompt_tokens      integer,
    completion_tokens  integer,
    cost_usd           numeric(12, 6),
    cache_hit          boolean          NOT NULL DEFAULT false,
    attempt            integer          NOT NULL,
    created_at         timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, example_id, annotator),
    CONSTRAINT judgment_preference_range CHECK (preference IS NULL OR preference BETWEEN 0 AND 2)
);

-- Aggregate metrics of a task, in lm-eval's terms: metric ("acc", "win_rate", ...) under a filter
-- ("none", "strict-match", ...).
CREATE TABLE metric_value (
    task_id  bigint           NOT NULL REFERENCES evaluation_task (id) ON DELETE CASCADE,
    metric   text             NOT NULL,
    filter   text             NOT NULL DEFAULT 'none',
    value    double precision NOT NULL,
    stderr   double precision,
    n        integer,
    PRIMARY KEY (task_id, metric, filter)
);

-- Per-sample records of benchmark tasks, as lm-eval's samples_<task>.jsonl: the request details in record,
-- the per-sample metric values in scores.
CREATE TABLE sample_score (
    task_id     bigint      NOT NULL REFERENCES evaluation_task (id) ON DELETE CASCADE,
    doc_id      integer     NOT NULL,
    record      jsonb       NOT NULL,
    scores      jsonb       NOT NULL,
    attempt     integer     NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, doc_id)
);

-- Judge answers shared by all evaluations. The key is a hash of everything that changes the answer
-- (judge model, rendered prompt, decoding parameters, parser); key_version names the recipe.
CREATE TABLE judge_cache (
    cache_key          text        PRIMARY KEY,
    key_version        integer     NOT NULL,
    annotator          text        NOT NULL,
    judge_model        text        NOT NULL,
    raw_completion     jsonb       NOT NULL,
    prompt_tokens      integer,
    completion_tokens  integer,
    cost_usd           numeric(12, 6),
    hits               bigint      NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    last_hit_at        timestamptz
);
