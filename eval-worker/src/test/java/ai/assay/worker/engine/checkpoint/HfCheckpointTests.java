package ai.assay.worker.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.testmodels.SafetensorsWriter;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfCheckpointTests {

    @TempDir
    Path dir;

    @Test
    void everyFamilysTensorsReadBackAsWritten() {
        for (DecoderFamily family : DecoderFamily.values()) {
            TinyCheckpoint spec = TinyCheckpoint.of(family);
            try (HfCheckpoint checkpoint = HfCheckpoint.open(spec.writeTo(dir.resolve(family.modelType())))) {
                assertThat(checkpoint.config().family()).isEqualTo(family);
                for (SafetensorsWriter.Entry e : spec.tensors()) {
                    Tensor t = checkpoint.tensor(e.name());
                    assertThat(t.shape()).isEqualTo(e.shape());
                    assertThat(t.toFloats()).containsExactly(e.values());
                }
                assertThat(checkpoint.tensorNames()).hasSize(spec.tensors().size());
            }
        }
    }

    @Test
    void fp16AndBf16WeightsReadAsTheSameFloats() {
        TinyCheckpoint spec = TinyCheckpoint.of(DecoderFamily.QWEN2);
        try (HfCheckpoint f32 = HfCheckpoint.open(spec.writeTo(dir.resolve("f32")));
                HfCheckpoint f16 =
                        HfCheckpoint.open(spec.withDtype(TensorDtype.F16).writeTo(dir.resolve("f16")));
                HfCheckpoint bf16 =
                        HfCheckpoint.open(spec.withDtype(TensorDtype.BF16).writeTo(dir.resolve("bf16")))) {
            String name = "model.layers.1.self_attn.q_proj.bias";
            assertThat(f16.tensor(name).dtype()).isEqualTo(TensorDtype.F16);
            assertThat(bf16.tensor(name).dtype()).isEqualTo(TensorDtype.BF16);
            assertThat(f16.tensor(name).data().remaining()).isEqualTo(32 * 2);
            assertThat(f16.tensor(name).toFloats())
                    .containsExactly(f32.tensor(name).toFloats());
            assertThat(bf16.tensor(name).toFloats())
                    .containsExactly(f32.tensor(name).toFloats());
        }
    }

    @Test
    void tensorsAreReadOnlyLittleEndianSlicesOfTheMapping() {
        try (HfCheckpoint checkpoint =
                HfCheckpoint.open(TinyCheckpoint.of(DecoderFamily.LLAMA).writeTo(dir))) {
            ByteBuffer data = checkpoint.tensor("model.norm.weight").data();
            assertThat(data.isDirect()).isTrue();
            assertThat(data.isReadOnly()).isTrue();
            assertThat(data.remaining()).isEqualTo(32 * 4);
            assertThat(data.getFloat(0))
                    .isEqualTo(checkpoint.tensor("model.norm.weight").toFloats()[0]);
        }
    }

    @Test
    void aShardedCheckpointReadsTheSameTensorsAsOneFile() {
        TinyCheckpoint spec = TinyCheckpoint.of(DecoderFamily.MISTRAL);
        try (HfCheckpoint single = HfCheckpoint.open(spec.writeTo(dir.resolve("single")));
                HfCheckpoint sharded = HfCheckpoint.open(spec.withShards(3).writeTo(dir.resolve("sharded")))) {
            assertThat(sharded.weightFiles())
                    .containsExactly(
                            "model-00001-of-00003.safetensors",
                            "model-00002-of-00003.safetensors",
                            "model-00003-of-00003.safetensors");
            assertThat(sharded.tensorNames()).isEqualTo(single.tensorNames());
            for (String name : single.tensorNames()) {
                assertThat(sharded.tensor(name).toFloats())
                        .containsExactly(single.tensor(name).toFloats());
            }
            assertThat(sharded.tensor("lm_head.weight").file()).isEqualTo("model-00003-of-00003.safetensors");
        }
    }

    @Test
    void aMissingShardIsRefusedNamingItAndATensorItHolds() throws IOException {
        TinyCheckpoint.of(DecoderFamily.LLAMA).withShards(2).writeTo(dir);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertThatThrownBy(() -> HfCheckpoint.open(dir))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessage("model.safetensors.index.json names shard model-00002-of-00002.safetensors, which is "
                        + "missing (it holds lm_head.weight)");
    }

    @Test
    void aTensorTheIndexPlacesInAShardThatLacksItIsRefused() throws IOException {
        TinyCheckpoint.of(DecoderFamily.LLAMA).withShards(2).writeTo(dir);
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(
                index,
                Files.readString(index)
                        .replace(
                                "\"model.norm.weight\"",
                                "\"model.extra.weight\" : \"model-00001-of-00002.safetensors\",\n"
                                        + "    \"model.norm.weight\""));
        assertThatThrownBy(() -> HfCheckpoint.open(dir))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessage("model-00001-of-00002.safetensors: tensor model.extra.weight is named in "
                        + "model.safetensors.index.json but absent from the shard");
    }

    @Test
    void aWeightMapNamingAPathOutOfTheDirectoryIsRefused() throws IOException {
        TinyCheckpoint.of(DecoderFamily.LLAMA).withShards(2).writeTo(dir);
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(
                index,
                Files.readString(index)
                        .replace(
                                "\"model.norm.weight\" : \"model-00002-of-00002.safetensors\"",
                                "\"model.norm.weight\" : \"../model-00002-of-00002.safetensors\""));
        assertThatThrownBy(() -> HfCheckpoint.open(dir))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessage("model.safetensors.index.json: tensor model.norm.weight maps to "
                        + "\"../model-00002-of-00002.safetensors\", not a .safetensors file in the directory");
    }

    @Test
    void aTensorInAnotherShardThanTheIndexSaysIsRefused() throws IOException {
        TinyCheckpoint.of(DecoderFamily.LLAMA).withShards(2).writeTo(dir);
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(
                index,
                Files.readString(index)
                        .replace(
                                "\"model.norm.weight\" : \"model-00002-of-00002.safetensors\"",
                                "\"model.norm.weight\" : \"model-00001-of-00002.safetensors\""));
        assertThatThrownBy(() -> HfCheckpoint.open(dir))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessage("model-00002-of-00002.safetensors: tensor model.norm.weight is not where "
                        + "model.safetensors.index.json puts it (model-00001-of-00002.safetensors)");
    }

    @Test
    void aMissingTensorIsRefusedByName() {
        TinyCheckpoint spec = TinyCheckpoint.of(DecoderFamily.QWEN3);
        List<SafetensorsWriter.Entry> tensors = new ArrayList<>(spec.tensors());
        tensors.removeIf(e -> e.name().equals("model.layers.1.self_attn.k_norm.weight"));
        TinyCheckpoint.writeTo(dir, spec.configJson(), tensors);
        assertThatThrownBy(() -> HfCheckpoint.open(dir))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessage("checkpoint has no tensor model.layers.1.self_attn.k_norm.weight (model_type qwen3)");
    }

    @Test
    void anUntiedCheckpointWithoutLmHeadIsRefused() {
        TinyCheckpoint spec = TinyCheckpoint.of(DecoderFamily.LLAMA).withTied(true);
        TinyCheckpoint.writeTo(dir, spec.withTied(false).configJson(), spec.tensors());
        assertThatThrownBy(() -> HfCheckpoint.open(dir))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessage("checkpoint has no tensor lm_head.weight (model_type llama)");
    }

    @Test
    void aTensorOfTheWrongShapeForTheConfigIsRefused() {
        TinyCheckpoint spec = TinyCheckpoint.of(DecoderFamily.LLAMA);
        List<SafetensorsWriter.Entry> tensors = new ArrayList<>(spec.tensors());
        tensors.replaceAll(e -> e.name().equals("model.layers.0.self_attn.k_proj.weight")
                ? SafetensorsWriter.Entry.of(e.name(), e.dtype(), List.of(32L, 16L), e.values())
                : e);
        TinyCheckpoint.writeTo(dir, spec.configJson(), tensors);
        assertThatThrownBy(() -> HfCheckpoint.open(dir))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessage("model.safetensors: tensor model.layers.0.self_attn.k_proj.weight has shape [32, 16] but "
                        + "config.json implies [16, 32]");
    }

    @Test
    void aTiedCheckpointProjectsWithItsEmbeddings() {
        try (HfCheckpoint checkpoint = HfCheckpoint.open(
                TinyCheckpoint.of(DecoderFamily.QWEN2).withTied(true).writeTo(dir))) {
            assertThat(checkpoint.tensorNames()).doesNotContain("lm_head.weight");
            assertThat(checkpoint.outputEmbedding().name()).isEqualTo("model.embed_tokens.weight");
        }
    }

    @Test
    void theManifestListsEveryFileWithItsSizeAndSha256() throws IOException {
        TinyCheckpoint.of(DecoderFamily.LLAMA).withShards(2).writeTo(dir);
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        try (HfCheckpoint checkpoint = HfCheckpoint.open(dir)) {
            assertThat(checkpoint.manifest())
                    .extracting(CheckpointFile::name)
                    .containsExactly(
                            "config.json",
                            "model-00001-of-00002.safetensors",
                            "model-00002-of-00002.safetensors",
                            "model.safetensors.index.json",
                            "tokenizer.json");
            for (CheckpointFile f : checkpoint.manifest()) {
                byte[] bytes = Files.readAllBytes(dir.resolve(f.name()));
                assertThat(f.size()).isEqualTo(bytes.length);
                assertThat(f.sha256()).isEqualTo(sha256(bytes));
            }
        }
    }

    @Test
    void theCacheKeyFollowsConfigAndWeightsButNotTheDirectoryOrTokenizer() throws IOException {
        TinyCheckpoint spec = TinyCheckpoint.of(DecoderFamily.LLAMA);
        String original = key(spec.writeTo(dir.resolve("a")));
        Path copy = spec.writeTo(dir.resolve("b"));
        Files.writeString(copy.resolve("tokenizer.json"), "{}");
        assertThat(key(copy)).isEqualTo(original);
        assertThat(key(new TinyCheckpoint(
                                DecoderFamily.LLAMA,
                                TensorDtype.F32,
                                false,
                                1,
                                false,
                                null,
                                8,
                                TinyCheckpoint.VOCAB,
                                TinyCheckpoint.HEAD_DIM)
                        .writeTo(dir.resolve("other-weights"))))
                .isNotEqualTo(original);
        Path otherConfig = spec.writeTo(dir.resolve("other-config"));
        Files.writeString(
                otherConfig.resolve("config.json"),
                spec.configJson().put("rms_norm_eps", 1e-6).toString());
        assertThat(key(otherConfig)).isNotEqualTo(original);
    }

    @Test
    void aClosedCheckpointHandsOutNoTensors() {
        HfCheckpoint checkpoint =
                HfCheckpoint.open(TinyCheckpoint.of(DecoderFamily.LLAMA).writeTo(dir));
        checkpoint.close();
        assertThatThrownBy(() -> checkpoint.tensor("model.norm.weight"))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("checkpoint is closed");
    }

    @Test
    void aDirectoryWithoutWeightsIsRefused() throws IOException {
        Files.writeString(
                dir.resolve("config.json"),
                TinyCheckpoint.of(DecoderFamily.LLAMA).configJson().toString());
        assertThatThrownBy(() -> HfCheckpoint.open(dir))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessage("checkpoint has neither model.safetensors nor model.safetensors.index.json");
    }

    private static String key(Path checkpoint) {
        try (HfCheckpoint c = HfCheckpoint.open(checkpoint)) {
            return c.cacheKey();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
