package ai.assay.core.results;

import tools.jackson.databind.JsonNode;

/**
 * One scored sample of a benchmark task.
 *
 * @param record the sample as lm-eval logs it (doc, arguments, responses), for the samples export
 * @param scores the sample's metric values, e.g. {"acc": 1, "acc_norm": 0}
 */
public record NewSampleScore(int docId, JsonNode record, JsonNode scores) {}
