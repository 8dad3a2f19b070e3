package ai.assay.worker.engine.builder;

import ai.assay.worker.engine.ModelBuild;
import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.checkpoint.CheckpointFile;
import ai.assay.worker.engine.checkpoint.DecoderWeights;
import ai.assay.worker.engine.checkpoint.HfCheckpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a Hugging Face checkpoint directory into an ONNX model directory the engine loads: validated by
 * {@link HfCheckpoint}, written by {@link DecoderGraphWriter} into the {@link BuiltModelCache} under a key over the
 * checkpoint's config and weights, the builder version and the graph variant. The entry holds the graph, its
 * weights, a copy of {@code config.json} (the model's length limit) and {@value #RECORD} (what was built, so a
 * reused entry reports the same as a fresh one). Tokenizer files stay in the checkpoint and are read from there.
 */
public final class CheckpointBuilds {

    static final String RECORD = "assay-build.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BuiltModelCache cache;

    public CheckpointBuilds(BuiltModelCache cache) {
        this.cache = cache;
    }

    /**
     * Whether {@code directory} is a checkpoint to build: a {@code config.json} with safetensors weights and no
     * ONNX graph ({@code model.onnx} or {@code genai_config.json}), which would be loaded as it is.
     */
    public static boolean isCheckpoint(Path directory) {
        return Files.isRegularFile(directory.resolve("config.json"))
                && (Files.isRegularFile(directory.resolve("model.safetensors"))
                        || Files.isRegularFile(directory.resolve("model.safetensors.index.json")))
                && !Files.exists(directory.resolve("model.onnx"))
                && !Files.exists(directory.resolve("genai_config.json"));
    }

    /**
     * Builds the checkpoint in {@code directory} into the variant {@code choice} picks for it, or finds its earlier
     * build.
     */
    public Built build(Path directory, VariantChoice choice) {
        try (HfCheckpoint checkpoint = HfCheckpoint.open(directory)) {
            GraphVariant variant = choice.variantFor(checkpoint);
            String key = key(checkpoint.cacheKey(), variant);
            List<String> operators = new ArrayList<>();
            BuiltModelCache.Entry entry = cache.obtain(key, staging -> {
                operators.addAll(
                        variant.fused()
                                ? FusedDecoderGraphWriter.write(checkpoint, variant, staging)
                                : DecoderGraphWriter.write(checkpoint, staging));
                Files.copy(directory.resolve("config.json"), staging.resolve("config.json"));
                JSON.writeValue(staging.resolve(RECORD).toFile(), new Record(variant.label(), operators));
            });
            Record record = readRecord(entry.directory());
            List<ModelBuild.File> files =
                    checkpoint.manifest().stream().map(CheckpointBuilds::file).toList();
            ModelBuild build = new ModelBuild(
                    HfCheckpoint.BUILDER_VERSION,
                    key,
                    entry.reused(),
                    variant.type().shortName(),
                    record.operators(),
                    files);
            return new Built(entry.directory(), variant, build);
        }
    }

    /** The checkpoint's key with the graph variant: the CPU and the CUDA graph of one checkpoint are two builds. */
    static String key(String checkpointKey, GraphVariant variant) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(digest.digest(
                            (checkpointKey + "\n" + variant.label() + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static Record readRecord(Path entry) {
        try {
            return JSON.readValue(entry.resolve(RECORD).toFile(), Record.class);
        } catch (RuntimeException e) {
            throw new ModelLoadException(
                    "the built model " + entry.getFileName() + " has no readable " + RECORD + ": " + e.getMessage(), e);
        }
    }

    private static ModelBuild.File file(CheckpointFile f) {
        return new ModelBuild.File(f.name(), f.size(), f.sha256());
    }

    /** The model directory to load, the variant it holds and what was built. */
    public record Built(Path directory, GraphVariant variant, ModelBuild build) {}

    /** Which variant a checkpoint is built into, decided once its config is read. */
    @FunctionalInterface
    public interface VariantChoice {

        GraphVariant variantFor(DecoderWeights checkpoint);

        /** Always {@code variant}, where the checkpoint allows it (else a clear refusal from the writer). */
        static VariantChoice always(GraphVariant variant) {
            return checkpoint -> variant;
        }

        /** {@link GraphVariant#forDevice} for the checkpoint's weights: the fused graph on CUDA, where it can be. */
        static VariantChoice forDevice(boolean cuda) {
            return checkpoint -> GraphVariant.forDevice(
                    cuda,
                    checkpoint.config(),
                    checkpoint.tensor("model.embed_tokens.weight").dtype());
        }
    }

    /** What {@value #RECORD} holds. */
    record Record(String variant, List<String> operators) {}
}
