package ai.assay.core.results;

import tools.jackson.databind.JsonNode;

/** A scored sample as stored, with the attempt of the job that wrote it. */
public record StoredSampleScore(int docId, JsonNode record, JsonNode scores, int attempt) {}
