-- Judgments keep the latency of the judge call next to its tokens, cost and raw completion; a cache hit reports
-- those of the call that produced the cached answer.
ALTER TABLE judge_cache ADD COLUMN latency_ms integer;
