package ai.assay.worker.engine.checkpoint;

import ai.assay.worker.engine.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a graph builder needs of a checkpoint's {@code config.json}, read as transformers' config classes read it
 * ({@code LlamaConfig}, {@code MistralConfig}, {@code Qwen2Config}, {@code Qwen3Config}): a field that is absent
 * takes that class's default, so a config that transformers loads means here what it means there. A setting those
 * classes accept but this reader does not build (another rope scaling, another activation, biases where the family
 * has none, Qwen's sliding-window layers) is refused naming the field and its value, never ignored.
 *
 * @param headDim {@code head_dim} where the config has one (Qwen3 always: default 128), else
 *     {@code hidden_size / num_attention_heads}
 * @param ropeScaling null for plain rotary positions
 * @param slidingWindow Mistral's attention window in positions (a query sees itself and the window − 1 before it);
 *     null for full causal attention (every other family)
 * @param torchDtype the dtype the weights were saved in as the config names it ({@code float32}, {@code float16},
 *     {@code bfloat16}), or null where absent
 * @param bosTokenId null where the config has none
 * @param eosTokenIds empty where the config has none; Llama 3.1 lists several
 */
public record DecoderConfig(
        DecoderFamily family,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int vocabSize,
        int maxPositionEmbeddings,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        Integer slidingWindow,
        String torchDtype,
        Integer bosTokenId,
        List<Integer> eosTokenIds) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public DecoderConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    public String modelType() {
        return family.modelType();
    }

    public boolean qkvBias() {
        return family.hasQkvBias();
    }

    public boolean qkNorm() {
        return family.hasQkNorm();
    }

    /** Reads {@code config.json}; the messages name the file. */
    public static DecoderConfig read(Path configJson) {
        String text;
        try {
            text = Files.readString(configJson);
        } catch (IOException e) {
            throw new ModelLoadException(configJson.getFileName() + ": cannot be read: " + e.getMessage(), e);
        }
        return parse(text);
    }

    /** Parses the text of a {@code config.json}. */
    public static DecoderConfig parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw refused("is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw refused("is not a JSON object");
        }
        return new Reader(root).config();
    }

    /**
     * Every tensor the family's {@code ForCausalLM} holds, by its state-dict name, with its shape: what a checkpoint
     * must contain. {@code lm_head.weight} only when the embeddings are not tied.
     */
    public Map<String, List<Long>> expectedTensors() {
        long hidden = hiddenSize;
        long q = (long) numAttentionHeads * headDim;
        long kv = (long) numKeyValueHeads * headDim;
        Map<String, List<Long>> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", List.of((long) vocabSize, hidden));
        for (int i = 0; i < numHiddenLayers; i++) {
            String p = "model.layers." + i + ".";
            shapes.put(p + "input_layernorm.weight", List.of(hidden));
            shapes.put(p + "self_attn.q_proj.weight", List.of(q, hidden));
            shapes.put(p + "self_attn.k_proj.weight", List.of(kv, hidden));
            shapes.put(p + "self_attn.v_proj.weight", List.of(kv, hidden));
            if (qkvBias()) {
                shapes.put(p + "self_attn.q_proj.bias", List.of(q));
                shapes.put(p + "self_attn.k_proj.bias", List.of(kv));
                shapes.put(p + "self_attn.v_proj.bias", List.of(kv));
            }
            if (qkNorm()) {
                shapes.put(p + "self_attn.q_norm.weight", List.of((long) headDim));
                shapes.put(p + "self_attn.k_norm.weight", List.of((long) headDim));
            }
            shapes.put(p + "self_attn.o_proj.weight", List.of(hidden, q));
            shapes.put(p + "post_attention_layernorm.weight", List.of(hidden));
            shapes.put(p + "mlp.gate_proj.weight", List.of((long) intermediateSize, hidden));
            shapes.put(p + "mlp.up_proj.weight", List.of((long) intermediateSize, hidden));
            shapes.put(p + "mlp.down_proj.weight", List.of(hidden, (long) intermediateSize));
        }
        shapes.put("model.norm.weight", List.of(hidden));
        if (!tieWordEmbeddings) {
            shapes.put("lm_head.weight", List.of((long) vocabSize, hidden));
        }
        return shapes;
    }

    private static ModelLoadException refused(String what) {
        return new ModelLoadException("config.json " + what);
    }

    /** The class defaults of each family, as transformers' {@code *Config.__init__} signatures give them. */
    private record Defaults(
            int vocabSize,
            int hiddenSize,
            int intermediateSize,
            int numHiddenLayers,
            int numAttentionHeads,
            Integer numKeyValueHeads,
            Integer headDim,
            int maxPositionEmbeddings,
            Integer bosTokenId,
            Integer eosTokenId,
            Integer slidingWindow) {

        static Defaults of(DecoderFamily family) {
            return switch (family) {
                case LLAMA -> new Defaults(32000, 4096, 11008, 32, 32, null, null, 2048, 1, 2, null);
                case MISTRAL -> new Defaults(32000, 4096, 14336, 32, 32, 8, null, 4096 * 32, 1, 2, 4096);
                case QWEN2 -> new Defaults(151936, 4096, 22016, 32, 32, 32, null, 32768, null, null, null);
                case QWEN3 -> new Defaults(151936, 4096, 22016, 32, 32, 32, 128, 32768, null, null, null);
            };
        }
    }

    private static final class Reader {
        private final JsonNode root;

        Reader(JsonNode root) {
            this.root = root;
        }

        DecoderConfig config() {
            JsonNode modelTypeNode = root.get("model_type");
            if (modelTypeNode == null || !modelTypeNode.isString()) {
                throw refused("has no model_type");
            }
            String modelType = modelTypeNode.stringValue();
            DecoderFamily family = DecoderFamily.ofModelType(modelType)
                    .orElseThrow(() -> refused("model_type \"" + modelType + "\" is not supported (llama, mistral, "
                            + "qwen2 and qwen3 are)"));
            Defaults d = Defaults.of(family);
            int hidden = positiveInt("hidden_size", d.hiddenSize);
            int intermediate = positiveInt("intermediate_size", d.intermediateSize);
            int layers = positiveInt("num_hidden_layers", d.numHiddenLayers);
            int heads = positiveInt("num_attention_heads", d.numAttentionHeads);
            int kvHeads = positiveInt("num_key_value_heads", d.numKeyValueHeads == null ? heads : d.numKeyValueHeads);
            if (heads % kvHeads != 0) {
                throw refused("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
            }
            Integer headDimDefault = d.headDim;
            if (headDimDefault == null) {
                if (hidden % heads != 0) {
                    throw refused("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads
                            + " and there is no head_dim");
                }
                headDimDefault = hidden / heads;
            }
            int headDim = positiveInt("head_dim", headDimDefault);
            if (headDim % 2 != 0) {
                throw refused("head_dim " + headDim + " is odd; rotary positions rotate pairs");
            }
            int vocab = positiveInt("vocab_size", d.vocabSize);
            int maxPositions = positiveInt("max_position_embeddings", d.maxPositionEmbeddings);
            double eps = positiveDouble(root, "rms_norm_eps", 1e-6, "rms_norm_eps");
            requireString("hidden_act", "silu");
            refuseTrue("attention_bias", family != DecoderFamily.QWEN2);
            refuseTrue("mlp_bias", true);
            if (family == DecoderFamily.QWEN2 || family == DecoderFamily.QWEN3) {
                refuseTrue("use_sliding_window", true);
                JsonNode layerTypes = root.get("layer_types");
                if (layerTypes != null && !layerTypes.isNull()) {
                    for (JsonNode t : layerTypes) {
                        if (!t.isString() || !t.stringValue().equals("full_attention")) {
                            throw refused("layer_types holds " + t + "; only full_attention layers are built");
                        }
                    }
                }
            }
            double theta;
            RopeScaling scaling;
            JsonNode ropeParameters = root.get("rope_parameters");
            if (ropeParameters != null && !ropeParameters.isNull()) {
                // transformers 5 writes rope_theta and the scaling together under rope_parameters
                if (!ropeParameters.isObject()) {
                    throw refused("rope_parameters is " + ropeParameters + ", not an object");
                }
                theta = positiveDouble(ropeParameters, "rope_theta", 10000.0, "rope_parameters.rope_theta");
                scaling = ropeScaling(ropeParameters, "rope_parameters");
            } else {
                theta = positiveDouble(root, "rope_theta", 10000.0, "rope_theta");
                JsonNode s = root.get("rope_scaling");
                if (s != null && !s.isNull() && !s.isObject()) {
                    throw refused("rope_scaling is " + s + ", not an object");
                }
                scaling = s == null || s.isNull() ? null : ropeScaling(s, "rope_scaling");
            }
            boolean tied = bool("tie_word_embeddings", false);
            Integer window = null;
            if (family == DecoderFamily.MISTRAL) {
                window = optionalPositiveInt("sliding_window", d.slidingWindow);
            }
            String dtype = torchDtype();
            Integer bos = optionalInt("bos_token_id", d.bosTokenId);
            List<Integer> eos = eosTokenIds(d.eosTokenId);
            return new DecoderConfig(
                    family,
                    hidden,
                    intermediate,
                    layers,
                    heads,
                    kvHeads,
                    headDim,
                    vocab,
                    maxPositions,
                    eps,
                    theta,
                    scaling,
                    tied,
                    window,
                    dtype,
                    bos,
                    eos);
        }

        private RopeScaling ropeScaling(JsonNode node, String field) {
            JsonNode typeNode = node.has("rope_type") ? node.get("rope_type") : node.get("type");
            String typeField = field + (node.has("rope_type") ? ".rope_type" : ".type");
            if (typeNode == null || !typeNode.isString()) {
                throw refused(field + " has no rope_type");
            }
            String type = typeNode.stringValue();
            if (type.equals("default")) {
                return null;
            }
            if (!type.equals("llama3")) {
                throw refused(typeField + " \"" + type + "\" is not supported (only llama3 scaling is)");
            }
            double factor = positiveDouble(node, "factor", null, field + ".factor");
            double low = positiveDouble(node, "low_freq_factor", null, field + ".low_freq_factor");
            double high = positiveDouble(node, "high_freq_factor", null, field + ".high_freq_factor");
            if (high <= low) {
                throw refused(field + ".high_freq_factor " + high + " is not above low_freq_factor " + low);
            }
            JsonNode original = node.get("original_max_position_embeddings");
            if (original == null
                    || !original.isIntegralNumber()
                    || !original.canConvertToInt()
                    || original.intValue() <= 0) {
                throw refused(field + ".original_max_position_embeddings is " + original + ", not a positive integer");
            }
            return RopeScaling.llama3(factor, low, high, original.intValue());
        }

        private String torchDtype() {
            // transformers 5 writes "dtype", earlier versions "torch_dtype"
            String field = root.has("torch_dtype") ? "torch_dtype" : "dtype";
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            String value = node.isString() ? node.stringValue() : node.toString();
            if (!List.of("float32", "float16", "bfloat16").contains(value)) {
                throw refused(field + " \"" + value + "\" is not supported (float32, float16 and bfloat16 are)");
            }
            return value;
        }

        private List<Integer> eosTokenIds(Integer fallback) {
            JsonNode node = root.get("eos_token_id");
            if (node == null) {
                return fallback == null ? List.of() : List.of(fallback);
            }
            if (node.isNull()) {
                return List.of();
            }
            List<Integer> ids = new ArrayList<>();
            for (JsonNode id : node.isArray() ? node : List.of(node)) {
                if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
                    throw refused("eos_token_id is " + node + ", not a token id or a list of them");
                }
                ids.add(id.intValue());
            }
            return ids;
        }

        private Integer optionalInt(String field, Integer fallback) {
            JsonNode node = root.get(field);
            if (node == null) {
                return fallback;
            }
            if (node.isNull()) {
                return null;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
                throw refused(field + " is " + node + ", not a token id");
            }
            return node.intValue();
        }

        private Integer optionalPositiveInt(String field, Integer fallback) {
            JsonNode node = root.get(field);
            if (node == null) {
                return fallback;
            }
            if (node.isNull()) {
                return null;
            }
            return positiveInt(field, fallback);
        }

        private int positiveInt(String field, Integer fallback) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                if (fallback == null) {
                    throw refused("has no " + field);
                }
                return fallback;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() <= 0) {
                throw refused(field + " is " + node + ", not a positive integer");
            }
            return node.intValue();
        }

        private static double positiveDouble(JsonNode in, String key, Double fallback, String field) {
            JsonNode node = in.get(key);
            if (node == null || node.isNull()) {
                if (fallback == null) {
                    throw refused("has no " + field);
                }
                return fallback;
            }
            if (!node.isNumber() || !(node.doubleValue() > 0) || Double.isInfinite(node.doubleValue())) {
                throw refused(field + " is " + node + ", not a positive number");
            }
            return node.doubleValue();
        }

        private boolean bool(String field, boolean fallback) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.isBoolean()) {
                throw refused(field + " is " + node + ", not true or false");
            }
            return node.booleanValue();
        }

        private void refuseTrue(String field, boolean refused) {
            if (refused && bool(field, false)) {
                throw refused(field + " true is not supported for model_type "
                        + root.get("model_type").stringValue());
            }
        }

        private void requireString(String field, String only) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                return;
            }
            if (!node.isString() || !node.stringValue().equals(only)) {
                throw refused(field + " " + node + " is not supported (only \"" + only + "\" is)");
            }
        }
    }
}
