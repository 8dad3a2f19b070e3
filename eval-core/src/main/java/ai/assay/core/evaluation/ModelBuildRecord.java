package ai.assay.core.evaluation;

import java.util.List;

/**
 * What a worker built from a Hugging Face checkpoint directory to run an evaluation's model, as the evaluation
 * records it: with it a result can be traced to the exact weights (each file's size and SHA-256) and graph (the
 * builder's version, the precision, the operators chosen). Stored as the evaluation's {@code model_build} jsonb,
 * its fields in camelCase; a model loaded as an ONNX export has none.
 *
 * @param builderVersion the graph builder's version
 * @param cacheKey       the key the built graph is cached under (SHA-256 hex over config, weights and builder)
 * @param reused         whether an earlier build was loaded from the cache instead of building now
 * @param dtype          the precision the graph computes in ("fp32", "fp16", "bf16")
 * @param operators      the operator types of the built graph, sorted, with their domain where not ONNX's
 * @param files          the checkpoint directory's files
 */
public record ModelBuildRecord(
        String builderVersion,
        String cacheKey,
        boolean reused,
        String dtype,
        List<String> operators,
        List<CheckpointFile> files) {

    public ModelBuildRecord {
        operators = List.copyOf(operators);
        files = List.copyOf(files);
    }

    /**
     * One file of the checkpoint directory.
     *
     * @param name   its name in the directory
     * @param size   its size in bytes
     * @param sha256 its SHA-256, lower-case hex
     */
    public record CheckpointFile(String name, long size, String sha256) {}
}
