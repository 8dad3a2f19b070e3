package ai.assay.worker.engine.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.ModelBuild;
import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.checkpoint.DecoderConfig;
import ai.assay.worker.engine.checkpoint.DecoderFamily;
import ai.assay.worker.engine.checkpoint.DecoderWeights;
import ai.assay.worker.engine.checkpoint.HfCheckpoint;
import ai.assay.worker.engine.checkpoint.LoraAdapter;
import ai.assay.worker.engine.checkpoint.Tensor;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import ai.assay.worker.engine.runtime.DecoderBatch;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.ExecutionDevice;
import ai.assay.worker.engine.runtime.RunnerOptions;
import ai.assay.worker.engine.testmodels.ReferenceDecoder;
import ai.assay.worker.engine.testmodels.SafetensorsWriter;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import ai.assay.worker.engine.testmodels.TinyLoraAdapter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * A checkpoint built with a PEFT LoRA adapter merged in, against the oracle: the test merges the adapter itself
 * ({@link TinyLoraAdapter#mergedInto}) into a merged checkpoint, and {@link ReferenceDecoder} runs that.
 */
class LoraAdapterBuildTests {

    private static final int VOCAB = TinyCheckpoint.VOCAB;
    private static final int[][] TOKENS = {{3, 17, 5, 30, 11, 2, 8, 21, 36}, {0, 0, 0, 0, 9, 14, 27, 1, 33}};
    private static final int[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 0, 0, 1, 1, 1, 1, 1}};
    private static final String[] ALL_LINEAR = {
        "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "lm_head"
    };

    private static final CheckpointBuilds.VariantChoice CPU =
            CheckpointBuilds.VariantChoice.always(GraphVariant.CPU_FP32);

    @TempDir
    Path temp;

    static Stream<Arguments> adapters() {
        return Stream.of(
                Arguments.of(
                        "llama, every linear layer",
                        TinyCheckpoint.of(DecoderFamily.LLAMA),
                        TinyLoraAdapter.of(ALL_LINEAR)),
                Arguments.of(
                        "qwen2 bf16 base, bf16 adapter on q and v",
                        TinyCheckpoint.of(DecoderFamily.QWEN2).withDtype(TensorDtype.BF16),
                        TinyLoraAdapter.of("q_proj", "v_proj").withDtype(TensorDtype.BF16)),
                Arguments.of(
                        "mistral, rsLoRA",
                        TinyCheckpoint.of(DecoderFamily.MISTRAL),
                        TinyLoraAdapter.of("o_proj", "down_proj").withRsLora(true)),
                Arguments.of(
                        "qwen3 tied, rank and alpha patterns",
                        TinyCheckpoint.of(DecoderFamily.QWEN3).withTied(true),
                        TinyLoraAdapter.of("q_proj", "up_proj", "down_proj")
                                .withPatterns(Map.of("up_proj", 2), Map.of("down_proj", 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void theAdaptedGraphComputesTheOraclesLogitsOnTheMergedWeights(
            String name, TinyCheckpoint base, TinyLoraAdapter lora) throws IOException {
        Path checkpoint = base.writeTo(temp.resolve("checkpoint"));
        Path adapter = lora.writeTo(temp.resolve("adapter"), base);
        Path merged = TinyCheckpoint.writeTo(temp.resolve("merged"), base.configJson(), lora.mergedInto(base));
        float[][][] expected;
        try (HfCheckpoint oracleWeights = HfCheckpoint.open(merged)) {
            expected = new ReferenceDecoder(oracleWeights).logits(TOKENS, MASK);
        }
        CheckpointBuilds.Built built = builds().build(checkpoint, Optional.of(adapter), CPU);
        float[] logits = logits(built);
        int length = TOKENS[0].length;
        for (int b = 0; b < TOKENS.length; b++) {
            for (int t = 0; t < length; t++) {
                if (MASK[b][t] == 0) {
                    continue;
                }
                for (int v = 0; v < VOCAB; v++) {
                    assertThat(logits[(b * length + t) * VOCAB + v])
                            .as("%s row %d position %d token %d", name, b, t, v)
                            .isCloseTo(expected[b][t][v], Offset.offset(1e-4f));
                }
            }
        }
    }

    @Test
    void theFusedGraphOfAnAdaptedCheckpointComputesTheOraclesLogitsOnTheMergedWeights() throws IOException {
        // the fused writer packs q, k and v (and gate and up) from tensors it holds at once
        TinyCheckpoint base = TinyCheckpoint.of(DecoderFamily.QWEN2).withHeadDim(16);
        TinyLoraAdapter lora = TinyLoraAdapter.of(ALL_LINEAR);
        Path checkpoint = base.writeTo(temp.resolve("checkpoint"));
        Path adapter = lora.writeTo(temp.resolve("adapter"), base);
        Path merged = TinyCheckpoint.writeTo(temp.resolve("merged"), base.configJson(), lora.mergedInto(base));
        int[][] tokens = {TOKENS[0], {9, 14, 27, 1, 33, 0, 0, 0, 0}};
        int[][] mask = {MASK[0], {1, 1, 1, 1, 1, 0, 0, 0, 0}};
        float[][][] expected;
        try (HfCheckpoint oracleWeights = HfCheckpoint.open(merged)) {
            expected = new ReferenceDecoder(oracleWeights).logits(tokens, mask);
        }
        CheckpointBuilds.Built built = builds().build(
                        checkpoint,
                        Optional.of(adapter),
                        CheckpointBuilds.VariantChoice.always(GraphVariant.FUSED_FP32));
        float[] logits;
        try (DecoderRunner runner = DecoderRunner.open(
                built.directory().resolve(DecoderGraphWriter.MODEL_FILE), RunnerOptions.on(ExecutionDevice.CPU, 1))) {
            logits = runner.fullLogits(batch(tokens, mask));
        }
        int length = tokens[0].length;
        for (int b = 0; b < tokens.length; b++) {
            for (int t = 0; t < length; t++) {
                if (mask[b][t] == 0) {
                    continue;
                }
                for (int v = 0; v < VOCAB; v++) {
                    assertThat(logits[(b * length + t) * VOCAB + v])
                            .as("row %d position %d token %d", b, t, v)
                            .isCloseTo(expected[b][t][v], Offset.offset(1e-4f));
                }
            }
        }
    }

    @Test
    void theAdapterChangesTheLogits() throws IOException {
        TinyCheckpoint base = TinyCheckpoint.of(DecoderFamily.LLAMA);
        Path checkpoint = base.writeTo(temp.resolve("checkpoint"));
        Path adapter = TinyLoraAdapter.of("q_proj", "v_proj").writeTo(temp.resolve("adapter"), base);
        float[] plain = logits(builds().build(checkpoint, CPU));
        float[] adapted = logits(builds().build(checkpoint, Optional.of(adapter), CPU));
        double largest = 0;
        for (int i = 0; i < plain.length; i++) {
            if (!Float.isNaN(plain[i])) {
                largest = Math.max(largest, Math.abs(plain[i] - adapted[i]));
            }
        }
        assertThat(largest).as("largest logit change").isGreaterThan(1e-2);
    }

    @Test
    void baseAndAdaptedBuildsAreSeparateEntriesEachReusedAndAChangedAdapterIsAnother() {
        TinyCheckpoint base = TinyCheckpoint.of(DecoderFamily.QWEN2);
        Path checkpoint = base.writeTo(temp.resolve("checkpoint"));
        Path adapter = TinyLoraAdapter.of("k_proj").writeTo(temp.resolve("adapter"), base);

        ModelBuild plain = builds().build(checkpoint, CPU).build();
        ModelBuild adapted =
                builds().build(checkpoint, Optional.of(adapter), CPU).build();
        assertThat(adapted.reused()).isFalse();
        assertThat(adapted.cacheKey()).isNotEqualTo(plain.cacheKey());

        ModelBuild again = builds().build(checkpoint, Optional.of(adapter), CPU).build();
        assertThat(again.reused()).isTrue();
        assertThat(again.cacheKey()).isEqualTo(adapted.cacheKey());
        assertThat(builds().build(checkpoint, CPU).build().reused()).isTrue();

        TinyLoraAdapter.of("k_proj").withSeed(12).writeTo(temp.resolve("adapter"), base);
        ModelBuild changed =
                builds().build(checkpoint, Optional.of(adapter), CPU).build();
        assertThat(changed.reused()).isFalse();
        assertThat(changed.cacheKey()).isNotIn(plain.cacheKey(), adapted.cacheKey());
    }

    @Test
    void theBuildRecordsTheAdaptersFilesApartFromTheCheckpoints() throws IOException {
        TinyCheckpoint base = TinyCheckpoint.of(DecoderFamily.LLAMA);
        Path checkpoint = base.writeTo(temp.resolve("checkpoint"));
        Path adapter = TinyLoraAdapter.of("q_proj").writeTo(temp.resolve("adapter"), base);
        ModelBuild build = builds().build(checkpoint, Optional.of(adapter), CPU).build();
        assertThat(build.files())
                .extracting(ModelBuild.File::name)
                .containsExactly(
                        "config.json",
                        "model.safetensors",
                        "adapter/adapter_config.json",
                        "adapter/adapter_model.safetensors");
        ModelBuild.File weights = build.files().get(3);
        assertThat(weights.size()).isEqualTo(Files.size(adapter.resolve("adapter_model.safetensors")));
        assertThat(weights.sha256()).isEqualTo(sha256(adapter.resolve("adapter_model.safetensors")));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("DoRA", (Consumer<Path>) a -> editConfig(a, c -> c.put("use_dora", true)), "use_dora"),
                Arguments.of("trained biases", (Consumer<Path>) a -> editConfig(a, c -> c.put("bias", "all")), "bias"),
                Arguments.of(
                        "modules to save",
                        (Consumer<Path>) a ->
                                editConfig(a, c -> c.putArray("modules_to_save").add("lm_head")),
                        "modules_to_save"),
                Arguments.of(
                        "a target that is no layer",
                        (Consumer<Path>) a -> editConfig(
                                a,
                                c -> c.putArray("target_modules").add("q_proj").add("qproj")),
                        "target_modules \"qproj\" matches no layer"),
                Arguments.of(
                        "a target that is a norm",
                        (Consumer<Path>) a -> editConfig(
                                a,
                                c -> c.putArray("target_modules").add("q_proj").add("input_layernorm")),
                        "not a linear layer"),
                Arguments.of(
                        "a lora_A of the wrong rank",
                        (Consumer<Path>) a -> editConfig(a, c -> c.put("r", 3)),
                        "lora_A.weight has shape [4, 32] but r 3"),
                Arguments.of(
                        "no adapter_model.safetensors",
                        (Consumer<Path>) a -> delete(a.resolve("adapter_model.safetensors")),
                        "adapter has no adapter_model.safetensors"),
                Arguments.of(
                        "a truncated adapter_model.safetensors",
                        (Consumer<Path>) a -> truncate(a.resolve("adapter_model.safetensors")),
                        "adapter_model.safetensors"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void anAdapterThatCannotBeMergedIsRefusedNamingWhyAndLeavesNoCacheEntry(
            String name, Consumer<Path> breakIt, String message) throws IOException {
        TinyCheckpoint base = TinyCheckpoint.of(DecoderFamily.LLAMA);
        Path checkpoint = base.writeTo(temp.resolve("checkpoint"));
        Path adapter = TinyLoraAdapter.of("q_proj").writeTo(temp.resolve("adapter"), base);
        breakIt.accept(adapter);
        assertThatThrownBy(() -> builds().build(checkpoint, Optional.of(adapter), CPU))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(message);
        assertNoCacheEntry();
    }

    @Test
    void aLoraBOfTheWrongShapeIsRefusedNamingTheTensorAndLeavesNoCacheEntry() throws IOException {
        TinyCheckpoint base = TinyCheckpoint.of(DecoderFamily.LLAMA);
        Path checkpoint = base.writeTo(temp.resolve("checkpoint"));
        TinyLoraAdapter lora = TinyLoraAdapter.of("v_proj");
        List<SafetensorsWriter.Entry> tensors = new ArrayList<>();
        for (SafetensorsWriter.Entry e : lora.tensors(base)) {
            // v_proj's output is the 16 key/value features; claim the 32 of q_proj
            tensors.add(
                    e.name().endsWith("lora_B.weight")
                            ? SafetensorsWriter.Entry.of(e.name(), e.dtype(), List.of(32L, 4L), new float[32 * 4])
                            : e);
        }
        Path adapter = TinyLoraAdapter.writeTo(temp.resolve("adapter"), lora.configJson(), tensors);
        assertThatThrownBy(() -> builds().build(checkpoint, Optional.of(adapter), CPU))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(
                        "adapter_model.safetensors: tensor base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight"
                                + " has shape [32, 4]");
        assertNoCacheEntry();
    }

    @Test
    void aMergedTensorAboveTwoGibibytesIsRefusedBeforeAnythingIsBuilt() {
        // an untied lm_head of 70000 x 8192 is 2.3 GB in float32; the adapter on it is small (r 1)
        ObjectNode config = TinyCheckpoint.of(DecoderFamily.LLAMA).configJson();
        config.put("vocab_size", 70000).put("hidden_size", 8192).put("num_attention_heads", 64);
        config.put("num_key_value_heads", 8).put("num_hidden_layers", 1);
        DecoderConfig large = DecoderConfig.parse(config.toString());
        ObjectNode adapterConfig = TinyLoraAdapter.of("lm_head").configJson().put("r", 1);
        Path adapterDir = TinyLoraAdapter.writeTo(
                temp.resolve("adapter"),
                adapterConfig,
                List.of(
                        SafetensorsWriter.Entry.of(
                                "base_model.model.lm_head.lora_A.weight",
                                TensorDtype.BF16,
                                List.of(1L, 8192L),
                                new float[8192]),
                        SafetensorsWriter.Entry.of(
                                "base_model.model.lm_head.lora_B.weight",
                                TensorDtype.BF16,
                                List.of(70000L, 1L),
                                new float[70000])));
        DecoderWeights base = new DecoderWeights() {
            @Override
            public DecoderConfig config() {
                return large;
            }

            @Override
            public Tensor tensor(String name) {
                return new Tensor(
                        name,
                        TensorDtype.BF16,
                        large.expectedTensors().get(name),
                        "model.safetensors",
                        ByteBuffer.allocate(0));
            }
        };
        try (LoraAdapter adapter = LoraAdapter.open(adapterDir, large)) {
            assertThatThrownBy(() -> new LoraMergedWeights(base, adapter))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("lm_head.weight")
                    .hasMessageContaining("above the 2 GiB");
        }
    }

    private void assertNoCacheEntry() throws IOException {
        Path cache = temp.resolve("cache");
        if (Files.isDirectory(cache)) {
            try (Stream<Path> entries = Files.list(cache)) {
                assertThat(entries.filter(p -> !p.getFileName().toString().startsWith(".")))
                        .as("cache entries")
                        .isEmpty();
            }
            try (Stream<Path> staging = Files.list(cache.resolve(BuiltModelCache.STAGING))) {
                assertThat(staging).as("staging directories").isEmpty();
            }
        }
    }

    private CheckpointBuilds builds() {
        return new CheckpointBuilds(new BuiltModelCache(temp.resolve("cache")));
    }

    private static float[] logits(CheckpointBuilds.Built built) {
        try (DecoderRunner runner = DecoderRunner.open(
                built.directory().resolve(DecoderGraphWriter.MODEL_FILE), RunnerOptions.on(ExecutionDevice.CPU, 1))) {
            return runner.fullLogits(batch(TOKENS, MASK));
        }
    }

    /** Positions as generate() gives them: cumsum(mask) − 1, padding at 1. */
    private static DecoderBatch batch(int[][] tokens, int[][] mask) {
        int rows = tokens.length;
        int length = tokens[0].length;
        long[] ids = new long[rows * length];
        long[] m = new long[rows * length];
        long[] positions = new long[rows * length];
        for (int b = 0; b < rows; b++) {
            int seen = 0;
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = tokens[b][t];
                m[b * length + t] = mask[b][t];
                seen += mask[b][t];
                positions[b * length + t] = mask[b][t] == 1 ? seen - 1 : 1;
            }
        }
        return new DecoderBatch(rows, length, ids, length, m, positions);
    }

    private static void editConfig(Path adapter, Consumer<ObjectNode> edit) {
        try {
            Path file = adapter.resolve("adapter_config.json");
            ObjectNode config = (ObjectNode)
                    tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(file));
            edit.accept(config);
            Files.writeString(file, config.toPrettyString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void truncate(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 16));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
