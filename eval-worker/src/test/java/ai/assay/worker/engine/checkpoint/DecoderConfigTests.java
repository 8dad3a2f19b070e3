package ai.assay.worker.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class DecoderConfigTests {

    private static DecoderConfig parse(DecoderFamily family, Consumer<ObjectNode> change) {
        ObjectNode json = TinyCheckpoint.of(family).configJson();
        change.accept(json);
        return DecoderConfig.parse(json.toString());
    }

    private static void assertRefused(DecoderFamily family, Consumer<ObjectNode> change, String message) {
        assertThatThrownBy(() -> parse(family, change))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessage(message);
    }

    @Test
    void aLlamaConfigIsReadFieldByField() {
        DecoderConfig c = parse(DecoderFamily.LLAMA, j -> {
            j.putArray("eos_token_id").add(2).add(5);
        });
        assertThat(c)
                .isEqualTo(new DecoderConfig(
                        DecoderFamily.LLAMA,
                        32,
                        40,
                        2,
                        4,
                        2,
                        8,
                        37,
                        64,
                        1e-5,
                        10000.0,
                        null,
                        false,
                        null,
                        "float32",
                        1,
                        List.of(2, 5)));
        assertThat(c.qkvBias()).isFalse();
        assertThat(c.qkNorm()).isFalse();
    }

    @Test
    void eachFamilyImpliesItsBiasesNormsAndWindow() {
        assertThat(parse(DecoderFamily.QWEN2, j -> {}).qkvBias()).isTrue();
        DecoderConfig qwen3 = parse(DecoderFamily.QWEN3, j -> {});
        assertThat(qwen3.qkNorm()).isTrue();
        assertThat(qwen3.headDim()).isEqualTo(8);
        assertThat(qwen3.hiddenSize()).isEqualTo(24);
        assertThat(parse(DecoderFamily.MISTRAL, j -> {}).slidingWindow()).isEqualTo(4);
        assertThat(parse(DecoderFamily.QWEN2, j -> {}).slidingWindow()).isNull();
    }

    @Test
    void absentFieldsTakeTransformersClassDefaults() {
        DecoderConfig llama = parse(DecoderFamily.LLAMA, j -> {
            j.remove(List.of(
                    "num_key_value_heads",
                    "rope_theta",
                    "rms_norm_eps",
                    "tie_word_embeddings",
                    "bos_token_id",
                    "eos_token_id",
                    "rope_scaling",
                    "hidden_act",
                    "torch_dtype"));
        });
        assertThat(llama.numKeyValueHeads()).isEqualTo(4);
        assertThat(llama.headDim()).isEqualTo(8);
        assertThat(llama.ropeTheta()).isEqualTo(10000.0);
        assertThat(llama.rmsNormEps()).isEqualTo(1e-6);
        assertThat(llama.tieWordEmbeddings()).isFalse();
        assertThat(llama.bosTokenId()).isEqualTo(1);
        assertThat(llama.eosTokenIds()).containsExactly(2);
        assertThat(llama.ropeScaling()).isNull();
        assertThat(llama.torchDtype()).isNull();
        assertThat(parse(DecoderFamily.QWEN3, j -> j.remove("head_dim")).headDim())
                .isEqualTo(128);
        assertThat(parse(DecoderFamily.MISTRAL, j -> j.remove("sliding_window")).slidingWindow())
                .isEqualTo(4096);
        assertThat(parse(DecoderFamily.MISTRAL, j -> j.putNull("sliding_window"))
                        .slidingWindow())
                .isNull();
        DecoderConfig qwen2 = parse(DecoderFamily.QWEN2, j -> j.remove(List.of("bos_token_id", "eos_token_id")));
        assertThat(qwen2.bosTokenId()).isNull();
        assertThat(qwen2.eosTokenIds()).isEmpty();
    }

    @Test
    void llama3RopeScalingIsReadFromRopeScalingOrTransformers5RopeParameters() {
        DecoderConfig legacy = DecoderConfig.parse(TinyCheckpoint.of(DecoderFamily.LLAMA)
                .withLlama3Rope(true)
                .configJson()
                .toString());
        assertThat(legacy.ropeScaling()).isEqualTo(RopeScaling.llama3(8.0, 1.0, 4.0, 64));
        DecoderConfig v5 = parse(DecoderFamily.LLAMA, j -> {
            j.remove(List.of("rope_scaling", "rope_theta"));
            ObjectNode r = j.putObject("rope_parameters");
            r.put("rope_type", "llama3");
            r.put("rope_theta", 500000.0);
            r.put("factor", 32.0);
            r.put("low_freq_factor", 1.0);
            r.put("high_freq_factor", 4.0);
            r.put("original_max_position_embeddings", 8192);
        });
        assertThat(v5.ropeTheta()).isEqualTo(500000.0);
        assertThat(v5.ropeScaling()).isEqualTo(RopeScaling.llama3(32.0, 1.0, 4.0, 8192));
        assertThat(parse(DecoderFamily.QWEN2, j -> j.putObject("rope_scaling").put("type", "default"))
                        .ropeScaling())
                .isNull();
    }

    @Test
    void anUnknownModelTypeIsRefusedByName() {
        assertRefused(
                DecoderFamily.LLAMA,
                j -> j.put("model_type", "gpt2"),
                "config.json model_type \"gpt2\" is not supported (llama, mistral, qwen2 and qwen3 are)");
        assertRefused(DecoderFamily.LLAMA, j -> j.remove("model_type"), "config.json has no model_type");
    }

    @Test
    void anotherRopeScalingIsRefusedByName() {
        assertRefused(
                DecoderFamily.LLAMA,
                j -> j.putObject("rope_scaling").put("type", "linear").put("factor", 2.0),
                "config.json rope_scaling.type \"linear\" is not supported (only llama3 scaling is)");
        assertRefused(
                DecoderFamily.QWEN2,
                j -> j.putObject("rope_scaling").put("rope_type", "yarn"),
                "config.json rope_scaling.rope_type \"yarn\" is not supported (only llama3 scaling is)");
        assertRefused(
                DecoderFamily.LLAMA,
                j -> j.putObject("rope_parameters").put("rope_type", "dynamic").put("rope_theta", 1.0),
                "config.json rope_parameters.rope_type \"dynamic\" is not supported (only llama3 scaling is)");
    }

    @Test
    void anIncompleteLlama3ScalingIsRefusedNamingTheMissingField() {
        assertRefused(
                DecoderFamily.LLAMA,
                j -> {
                    ObjectNode s = j.putObject("rope_scaling");
                    s.put("rope_type", "llama3");
                    s.put("factor", 8.0);
                    s.put("high_freq_factor", 4.0);
                    s.put("original_max_position_embeddings", 64);
                },
                "config.json has no rope_scaling.low_freq_factor");
    }

    @Test
    void anotherActivationIsRefused() {
        assertRefused(
                DecoderFamily.MISTRAL,
                j -> j.put("hidden_act", "gelu"),
                "config.json hidden_act \"gelu\" is not supported (only \"silu\" is)");
    }

    @Test
    void biasesWhereTheFamilyHasNoneAreRefused() {
        assertRefused(
                DecoderFamily.LLAMA,
                j -> j.put("attention_bias", true),
                "config.json attention_bias true is not supported for model_type llama");
        assertRefused(
                DecoderFamily.QWEN3,
                j -> j.put("attention_bias", true),
                "config.json attention_bias true is not supported for model_type qwen3");
        assertRefused(
                DecoderFamily.LLAMA,
                j -> j.put("mlp_bias", true),
                "config.json mlp_bias true is not supported for model_type llama");
    }

    @Test
    void qwenSlidingWindowLayersAreRefused() {
        assertRefused(
                DecoderFamily.QWEN2,
                j -> j.put("use_sliding_window", true),
                "config.json use_sliding_window true is not supported for model_type qwen2");
        assertRefused(
                DecoderFamily.QWEN3,
                j -> j.putArray("layer_types").add("full_attention").add("sliding_attention"),
                "config.json layer_types holds \"sliding_attention\"; only full_attention layers are built");
    }

    @Test
    void malformedSizesAreRefusedNamingTheField() {
        assertRefused(
                DecoderFamily.LLAMA,
                j -> j.put("num_key_value_heads", 3),
                "config.json num_attention_heads 4 is not a multiple of num_key_value_heads 3");
        assertRefused(
                DecoderFamily.LLAMA,
                j -> j.put("hidden_size", "32"),
                "config.json hidden_size is \"32\", not a positive integer");
        assertRefused(
                DecoderFamily.LLAMA,
                j -> j.put("vocab_size", 0),
                "config.json vocab_size is 0, not a positive integer");
        assertRefused(
                DecoderFamily.LLAMA,
                j -> j.put("torch_dtype", "float8_e4m3fn"),
                "config.json torch_dtype \"float8_e4m3fn\" is not supported (float32, float16 and bfloat16 are)");
        assertThatThrownBy(() -> DecoderConfig.parse("[1]"))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessage("config.json is not a JSON object");
    }

    @Test
    void expectedTensorsFollowTheFamily() {
        DecoderConfig qwen2 = parse(DecoderFamily.QWEN2, j -> j.put("tie_word_embeddings", true));
        assertThat(qwen2.expectedTensors())
                .containsEntry("model.layers.1.self_attn.k_proj.bias", List.of(16L))
                .containsEntry("model.layers.0.self_attn.o_proj.weight", List.of(32L, 32L))
                .doesNotContainKey("lm_head.weight")
                .doesNotContainKey("model.layers.0.self_attn.q_norm.weight")
                .hasSize(1 + 2 * 12 + 1);
        DecoderConfig qwen3 = parse(DecoderFamily.QWEN3, j -> {});
        assertThat(qwen3.expectedTensors())
                .containsEntry("model.layers.0.self_attn.q_norm.weight", List.of(8L))
                .containsEntry("model.layers.0.self_attn.q_proj.weight", List.of(32L, 24L))
                .containsEntry("model.layers.0.self_attn.o_proj.weight", List.of(24L, 32L))
                .containsEntry("lm_head.weight", List.of(37L, 24L))
                .doesNotContainKey("model.layers.0.self_attn.q_proj.bias");
    }
}
