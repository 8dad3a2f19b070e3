package ai.assay.worker.engine;

import java.util.List;

/**
 * What the worker built from a Hugging Face checkpoint directory to run a job's model: the evaluation records it
 * so a result can be traced to the exact weights and graph.
 *
 * @param builderVersion the graph builder's version, part of the cache key
 * @param cacheKey       the key the built graph is cached under (SHA-256 hex over config, weights and builder)
 * @param reused         whether an earlier build was loaded from the cache instead of building now
 * @param dtype          the precision the graph computes in ("fp32", "fp16", "bf16")
 * @param operators      the operator types of the built graph, sorted, with their domain where not ONNX's
 *                       ("com.microsoft.GroupQueryAttention")
 * @param files          the checkpoint directory's files with sizes and hashes, then a LoRA adapter's (if one was
 *                       merged), their names prefixed {@code adapter/}
 */
public record ModelBuild(
        String builderVersion,
        String cacheKey,
        boolean reused,
        String dtype,
        List<String> operators,
        List<File> files) {

    public ModelBuild {
        operators = List.copyOf(operators);
        files = List.copyOf(files);
    }

    /** One file of the checkpoint: its name in the directory, size in bytes and SHA-256 (hex). */
    public record File(String name, long size, String sha256) {}
}
