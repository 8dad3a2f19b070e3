-- An evaluation whose every task scores responses made elsewhere (the option outputs) names no model directory.
ALTER TABLE evaluation ALTER COLUMN model_uri DROP NOT NULL;
