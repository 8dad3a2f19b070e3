-- Leaderboard aggregates, written in the transaction that ends an evaluation (LeaderboardAggregator in eval-core),
-- so that leaderboards and comparisons never scan judgments or sample scores. Everything here is derived: it can be
-- rebuilt from the tables of V1 by ending the evaluation's aggregation again.

-- One succeeded task of an ended evaluation that has metrics: a cell group of the leaderboard.
CREATE TABLE leaderboard_entry (
    task_id        bigint      PRIMARY KEY REFERENCES evaluation_task (id) ON DELETE CASCADE,
    evaluation_id  uuid        NOT NULL REFERENCES evaluation (id) ON DELETE CASCADE,
    model_name     text        NOT NULL,
    task           text        NOT NULL,
    -- The judge of a judged (AlpacaEval-style) task; NULL for benchmark tasks.
    annotator      text,
    labels         jsonb       NOT NULL,
    finished_at    timestamptz NOT NULL,
    -- The task's metric_value rows: [{"metric", "filter", "value", "stderr", "n"}].
    metrics        jsonb       NOT NULL,
    -- Why per-example statistics are missing or partial (e.g. no length-control data), or NULL.
    note           text,
    computed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX leaderboard_entry_evaluation_idx ON leaderboard_entry (evaluation_id);
CREATE INDEX leaderboard_entry_model_idx ON leaderboard_entry (model_name, finished_at DESC);
CREATE INDEX leaderboard_entry_task_idx ON leaderboard_entry (task, annotator);

-- Per-example data of a judged task, in canonical example order (numeric ids ascending, else lexicographic), and
-- the bootstrap replicates of its win rate and length-controlled win rate. Arrays are little-endian packed
-- (float64 preferences and difficulties, int32 lengths in code points, int64 reference-output hashes, float32
-- replicates); replicate b is the statistic on resample b of the example set (docs/leaderboard.md).
CREATE TABLE leaderboard_judged_examples (
    task_id              bigint           PRIMARY KEY REFERENCES leaderboard_entry (task_id) ON DELETE CASCADE,
    example_count        integer          NOT NULL,
    -- SHA-256 of the example ids in canonical order: equal hashes mean the same example set.
    example_set_hash     text             NOT NULL,
    example_ids          text[]           NOT NULL,
    preferences          bytea            NOT NULL,
    baseline_lengths     bytea            NOT NULL,
    model_lengths        bytea            NOT NULL,
    difficulties         bytea,
    reference_hashes     bytea            NOT NULL,
    baseline_is_model    boolean          NOT NULL,
    resamples            integer          NOT NULL,
    seed                 bigint           NOT NULL,
    win_rate_replicates  bytea            NOT NULL,
    lc_replicates        bytea,
    -- The regularisation constant the full-data cross-validation chose; the bootstrap refits at it.
    lc_c                 double precision,
    lc_theta_length      double precision,
    lc_gamma             double precision,
    lc_theta_model       double precision,
    CONSTRAINT leaderboard_judged_examples_count CHECK (example_count = cardinality(example_ids))
);

-- Per-document values of one metric of a benchmark task (from sample_score.scores): the doc ids as a bitset over
-- 0..max, the values in doc-id order as a bitset (0/1 metrics) or packed float64.
CREATE TABLE leaderboard_scored_examples (
    task_id       bigint   NOT NULL REFERENCES leaderboard_entry (task_id) ON DELETE CASCADE,
    metric        text     NOT NULL,
    filter        text     NOT NULL,
    doc_count     integer  NOT NULL,
    doc_ids       bytea    NOT NULL,
    is_binary     boolean  NOT NULL,
    doc_values    bytea    NOT NULL,
    PRIMARY KEY (task_id, metric, filter)
);

-- Bumped by every aggregation, in its transaction: readers cache leaderboards until it changes.
CREATE TABLE leaderboard_generation (
    only_row    boolean PRIMARY KEY DEFAULT true,
    generation  bigint  NOT NULL,
    CONSTRAINT leaderboard_generation_single_row CHECK (only_row)
);

INSERT INTO leaderboard_generation (only_row, generation) VALUES (true, 0);
