package ai.assay.worker.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.testmodels.SafetensorsWriter;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import ai.assay.worker.engine.testmodels.TinyLoraAdapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** Which layers an adapter changes and by how much, as PEFT reads {@code adapter_config.json}. */
class LoraAdapterTests {

    private static final TinyCheckpoint BASE = TinyCheckpoint.of(DecoderFamily.LLAMA);

    @TempDir
    Path temp;

    @Test
    void aListOfTargetsAdaptsEveryLayerWhoseNameEndsWithOne() {
        try (LoraAdapter adapter = open(TinyLoraAdapter.of("q_proj", "down_proj"))) {
            assertThat(adapter.adaptedWeights())
                    .containsExactlyInAnyOrder(
                            "model.layers.0.self_attn.q_proj.weight",
                            "model.layers.1.self_attn.q_proj.weight",
                            "model.layers.0.mlp.down_proj.weight",
                            "model.layers.1.mlp.down_proj.weight");
        }
    }

    @Test
    void theScaleIsAlphaOverRankOrOverItsSquareRootWithRsLora() {
        try (LoraAdapter plain = open(TinyLoraAdapter.of("q_proj"))) {
            assertThat(plain.delta("model.layers.0.self_attn.q_proj.weight")
                            .orElseThrow()
                            .scale())
                    .isEqualTo(8.0 / 4);
        }
        try (LoraAdapter rs = open(TinyLoraAdapter.of("q_proj").withRsLora(true))) {
            assertThat(rs.delta("model.layers.0.self_attn.q_proj.weight")
                            .orElseThrow()
                            .scale())
                    .isCloseTo(8.0 / 2, Offset.offset(1e-12));
        }
    }

    @Test
    void rankAndAlphaPatternsSetTheRankAndScaleOfTheModulesTheyMatch() {
        TinyLoraAdapter lora =
                TinyLoraAdapter.of("q_proj", "v_proj").withPatterns(Map.of("v_proj", 2), Map.of("v_proj", 5));
        try (LoraAdapter adapter = open(lora)) {
            LoraAdapter.Delta v =
                    adapter.delta("model.layers.1.self_attn.v_proj.weight").orElseThrow();
            assertThat(v.a().shape()).containsExactly(2L, 32L);
            assertThat(v.scale()).isEqualTo(5.0 / 2);
            assertThat(adapter.delta("model.layers.1.self_attn.q_proj.weight")
                            .orElseThrow()
                            .scale())
                    .isEqualTo(8.0 / 4);
        }
    }

    @Test
    void aStringOfTargetsIsARegularExpressionTheWholeNameMustMatch() {
        TinyLoraAdapter lora = TinyLoraAdapter.of("q_proj");
        ObjectNode config = lora.configJson();
        config.put("target_modules", "model\\.layers\\.1\\.self_attn\\.q_proj");
        List<SafetensorsWriter.Entry> layerOne = lora.tensors(BASE).stream()
                .filter(e -> e.name().contains("layers.1."))
                .toList();
        try (LoraAdapter adapter =
                LoraAdapter.open(TinyLoraAdapter.writeTo(temp.resolve("a"), config, layerOne), config())) {
            assertThat(adapter.adaptedWeights()).containsExactly("model.layers.1.self_attn.q_proj.weight");
        }
    }

    @Test
    void excludedModulesAreNotAdapted() {
        TinyLoraAdapter lora = TinyLoraAdapter.of("k_proj");
        ObjectNode config = lora.configJson();
        config.putArray("exclude_modules").add("model.layers.0.self_attn.k_proj");
        List<SafetensorsWriter.Entry> layerOne = lora.tensors(BASE).stream()
                .filter(e -> e.name().contains("layers.1."))
                .toList();
        try (LoraAdapter adapter =
                LoraAdapter.open(TinyLoraAdapter.writeTo(temp.resolve("a"), config, layerOne), config())) {
            assertThat(adapter.adaptedWeights()).containsExactly("model.layers.1.self_attn.k_proj.weight");
        }
    }

    @Test
    void allLinearAdaptsEveryLinearLayerButTheOutputLayer() {
        TinyLoraAdapter lora =
                TinyLoraAdapter.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
        ObjectNode config = lora.configJson();
        config.put("target_modules", "all-linear");
        try (LoraAdapter adapter =
                LoraAdapter.open(TinyLoraAdapter.writeTo(temp.resolve("a"), config, lora.tensors(BASE)), config())) {
            assertThat(adapter.adaptedWeights()).hasSize(14).doesNotContain("lm_head.weight");
        }
    }

    @Test
    void fanInFanOutHasNoEffectOnLinearLayersAsInPeft() {
        TinyLoraAdapter lora = TinyLoraAdapter.of("q_proj");
        ObjectNode config = lora.configJson();
        config.put("fan_in_fan_out", true);
        try (LoraAdapter adapter =
                LoraAdapter.open(TinyLoraAdapter.writeTo(temp.resolve("a"), config, lora.tensors(BASE)), config())) {
            assertThat(adapter.delta("model.layers.0.self_attn.q_proj.weight")
                            .orElseThrow()
                            .a()
                            .shape())
                    .containsExactly(4L, 32L);
        }
    }

    @Test
    void aTensorNoTargetAccountsForIsRefusedByName() {
        TinyLoraAdapter lora = TinyLoraAdapter.of("q_proj");
        List<SafetensorsWriter.Entry> tensors = new ArrayList<>(lora.tensors(BASE));
        tensors.add(SafetensorsWriter.Entry.of(
                "base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector",
                TensorDtype.F32,
                List.of(32L),
                new float[32]));
        Path dir = TinyLoraAdapter.writeTo(temp.resolve("a"), lora.configJson(), tensors);
        assertThatThrownBy(() -> LoraAdapter.open(dir, config()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tensor base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector");
    }

    @Test
    void aMissingLoraTensorOfATargetedLayerIsRefusedByName() {
        TinyLoraAdapter lora = TinyLoraAdapter.of("q_proj");
        List<SafetensorsWriter.Entry> tensors = lora.tensors(BASE).stream()
                .filter(e -> !e.name().equals("base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight"))
                .toList();
        Path dir = TinyLoraAdapter.writeTo(temp.resolve("a"), lora.configJson(), tensors);
        assertThatThrownBy(() -> LoraAdapter.open(dir, config()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("no tensor base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight");
    }

    @Test
    void loraOnATiedOutputLayerIsRefused() {
        TinyCheckpoint tied = BASE.withTied(true);
        TinyLoraAdapter lora = TinyLoraAdapter.of("q_proj");
        ObjectNode config = lora.configJson();
        config.putArray("target_modules").add("q_proj").add("lm_head");
        Path dir = TinyLoraAdapter.writeTo(temp.resolve("a"), config, lora.tensors(tied));
        DecoderConfig tiedConfig = DecoderConfig.parse(tied.configJson().toString());
        assertThatThrownBy(() -> LoraAdapter.open(dir, tiedConfig))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("lm_head, which is tied to the embeddings");
    }

    @Test
    void aPeftTypeOtherThanLoraIsRefused() {
        TinyLoraAdapter lora = TinyLoraAdapter.of("q_proj");
        ObjectNode config = lora.configJson();
        config.put("peft_type", "IA3");
        Path dir = TinyLoraAdapter.writeTo(temp.resolve("a"), config, lora.tensors(BASE));
        assertThatThrownBy(() -> LoraAdapter.open(dir, config()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("adapter_config.json peft_type IA3");
    }

    private LoraAdapter open(TinyLoraAdapter lora) {
        return LoraAdapter.open(lora.writeTo(temp.resolve("adapter"), BASE), config());
    }

    private static DecoderConfig config() {
        return DecoderConfig.parse(BASE.configJson().toString());
    }
}
