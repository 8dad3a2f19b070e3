-- What the worker built from a Hugging Face checkpoint directory to run the evaluation's model (builder version,
-- cache key, dtype, operators, the checkpoint's files with sizes and hashes); null for a model loaded as an ONNX
-- export, or before a worker loaded it. The latest attempt's build replaces an earlier one.
ALTER TABLE evaluation ADD COLUMN model_build jsonb;
