-- The PEFT LoRA adapter directory merged into the model's checkpoint when the worker builds it (model.adapter), as a
-- normalized file: URI; null for a model run as it is.
ALTER TABLE evaluation ADD COLUMN model_adapter text;
