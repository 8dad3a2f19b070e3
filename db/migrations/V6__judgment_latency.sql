-- How long the judge took to answer (null for cache hits and imports), next to its tokens and cost.
ALTER TABLE judgment ADD COLUMN latency_ms integer;
