package ai.assay.worker.engine.checkpoint;

import ai.assay.worker.engine.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A PEFT LoRA adapter directory as {@code PeftModel.save_pretrained} writes it: {@code adapter_config.json} and
 * {@code adapter_model.safetensors}, opened against the checkpoint it adapts. The weights are PEFT's saved state
 * dict ({@code get_peft_model_state_dict}): for each adapted linear layer {@code M} of the base,
 * {@code base_model.model.M.lora_A.weight} of shape [r, in] and {@code base_model.model.M.lora_B.weight} of shape
 * [out, r], whose merge ({@code LoraLayer.merge}, {@code merge_and_unload}) is {@code W + scale · B·A} with scale
 * {@code lora_alpha / r}, or {@code lora_alpha / sqrt(r)} with {@code use_rslora}.
 * <p>The adapted layers are the ones PEFT's {@code check_target_module_exists} picks: a list of
 * {@code target_modules} matches a module whose name equals an entry or ends with {@code .entry}; a string is a
 * regular expression the whole name must match (Java's, which agrees with Python's on the patterns adapters use);
 * {@code all-linear} is every linear layer but the output one. {@code exclude_modules} removes modules the same way.
 * {@code rank_pattern} and {@code alpha_pattern} set r and alpha per module as PEFT's {@code get_pattern_key} does:
 * the first key {@code k} such that the name matches {@code (.*\.)?(k)}.
 * <p>Refused, each naming the setting: a {@code target_modules} entry that matches no linear layer of the base (a
 * typo, or a norm or the embeddings, which this merge does not adapt), LoRA on {@code lm_head} when it is tied to
 * the embeddings, {@code bias} other than {@code none}, {@code modules_to_save}, {@code use_dora},
 * {@code layers_to_transform}, {@code layer_replication}, {@code lora_bias}, {@code target_parameters},
 * {@code trainable_token_indices}, {@code use_qalora}, {@code alora_invocation_tokens}, a {@code peft_type} other
 * than LORA; and in the weights a missing or extra tensor, or a lora_A or lora_B whose shape does not fit the base
 * layer and its rank. {@code fan_in_fan_out} is accepted and has no effect: every layer adapted here is an
 * {@code nn.Linear}, for which PEFT itself sets it to false. Settings that only shape training
 * ({@code lora_dropout}, {@code init_lora_weights}, {@code task_type}) do not enter the merged weights.
 * <p>The tensors are slices of a memory mapping, valid until {@link #close}.
 */
public final class LoraAdapter implements AutoCloseable {

    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";

    /** What PEFT's {@code PeftModelForCausalLM} puts before a base module's name in the saved state dict. */
    static final String PREFIX = "base_model.model.";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The low-rank update of one base weight.
     *
     * @param weight the base tensor it changes, e.g. {@code model.layers.0.self_attn.q_proj.weight}
     * @param a      lora_A, [r, in]
     * @param b      lora_B, [out, r]
     * @param scale  alpha / r, or alpha / sqrt(r) with rsLoRA
     */
    public record Delta(String weight, Tensor a, Tensor b, double scale) {}

    private volatile Map<String, Delta> deltas;
    private final List<CheckpointFile> manifest;
    private final String cacheKey;

    private LoraAdapter(Map<String, Delta> deltas, List<CheckpointFile> manifest, String cacheKey) {
        this.deltas = deltas;
        this.manifest = List.copyOf(manifest);
        this.cacheKey = cacheKey;
    }

    /**
     * Opens, validates and hashes the adapter in {@code directory} for the decoder {@code base} describes; the
     * messages name the file and the setting or tensor.
     */
    public static LoraAdapter open(Path directory, DecoderConfig base) {
        if (!Files.isDirectory(directory)) {
            throw new ModelLoadException("adapter directory " + directory.getFileName() + " does not exist");
        }
        Path configFile = directory.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new ModelLoadException("adapter has no " + CONFIG);
        }
        if (!Files.isRegularFile(directory.resolve(WEIGHTS))) {
            throw new ModelLoadException("adapter has no " + WEIGHTS
                    + (Files.exists(directory.resolve("adapter_model.bin"))
                            ? " (adapter_model.bin, PyTorch's pickle format, is not read)"
                            : ""));
        }
        Settings settings = Settings.read(configFile);
        Map<String, Tensor> tensors = SafetensorsFile.read(directory.resolve(WEIGHTS));
        Map<String, Delta> deltas = deltas(settings, base, tensors);
        List<CheckpointFile> manifest = manifest(directory);
        return new LoraAdapter(deltas, manifest, cacheKey(manifest));
    }

    /** The update of the base tensor {@code weight}, if the adapter changes it. */
    public Optional<Delta> delta(String weight) {
        return Optional.ofNullable(open().get(weight));
    }

    /** The base tensors the adapter changes, in the order of the base's layers. */
    public Set<String> adaptedWeights() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(open().keySet()));
    }

    /** Every regular file at the adapter directory's top level, by name, with size and SHA-256. */
    public List<CheckpointFile> manifest() {
        return manifest;
    }

    /** SHA-256 (hex) over the hashes of {@value #CONFIG} and {@value #WEIGHTS}: what changes when the adapter does. */
    public String cacheKey() {
        return cacheKey;
    }

    @Override
    public void close() {
        deltas = null;
    }

    private Map<String, Delta> open() {
        Map<String, Delta> d = deltas;
        if (d == null) {
            throw new IllegalStateException("adapter is closed");
        }
        return d;
    }

    private static Map<String, Delta> deltas(Settings settings, DecoderConfig base, Map<String, Tensor> tensors) {
        Map<String, List<Long>> linear = new LinkedHashMap<>();
        Set<String> other = new LinkedHashSet<>();
        for (Map.Entry<String, List<Long>> e : base.expectedTensors().entrySet()) {
            String module = e.getKey().substring(0, e.getKey().lastIndexOf('.'));
            if (e.getKey().endsWith(".weight") && e.getValue().size() == 2 && !module.equals("model.embed_tokens")) {
                linear.put(module, e.getValue());
            } else {
                other.add(module);
            }
        }
        if (base.tieWordEmbeddings()) {
            other.add("lm_head");
        }
        List<String> targeted = new ArrayList<>();
        for (String module : linear.keySet()) {
            if (settings.targets(module) && !settings.excludes(module)) {
                targeted.add(module);
            }
        }
        settings.checkTargetsMatch(linear.keySet(), other, base.tieWordEmbeddings());
        Map<String, Delta> deltas = new LinkedHashMap<>();
        Set<String> expectedNames = new LinkedHashSet<>();
        for (String module : targeted) {
            String aName = PREFIX + module + ".lora_A.weight";
            String bName = PREFIX + module + ".lora_B.weight";
            expectedNames.add(aName);
            expectedNames.add(bName);
            Tensor a = tensors.get(aName);
            Tensor b = tensors.get(bName);
            if (a == null || b == null) {
                throw new ModelLoadException(WEIGHTS + " has no tensor " + (a == null ? aName : bName) + ", but "
                        + CONFIG + "'s target_modules adapts " + module);
            }
            List<Long> shape = linear.get(module);
            int r = settings.rank(module);
            List<Long> aShape = List.of((long) r, shape.get(1));
            List<Long> bShape = List.of(shape.get(0), (long) r);
            if (!a.shape().equals(aShape)) {
                throw new ModelLoadException(WEIGHTS + ": tensor " + aName + " has shape " + a.shape() + " but r " + r
                        + " and the base layer's " + shape + " imply " + aShape);
            }
            if (!b.shape().equals(bShape)) {
                throw new ModelLoadException(WEIGHTS + ": tensor " + bName + " has shape " + b.shape() + " but r " + r
                        + " and the base layer's " + shape + " imply " + bShape);
            }
            String weight = module + ".weight";
            deltas.put(weight, new Delta(weight, a, b, settings.scale(module)));
        }
        for (String name : tensors.keySet()) {
            if (!expectedNames.contains(name)) {
                throw new ModelLoadException(WEIGHTS + ": tensor " + name + " is not the lora_A or lora_B of a layer "
                        + CONFIG + " targets (target_modules " + settings.targetModules + ")");
            }
        }
        return deltas;
    }

    private static List<CheckpointFile> manifest(Path directory) {
        List<CheckpointFile> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : entries.filter(Files::isRegularFile).sorted().toList()) {
                files.add(CheckpointFile.of(p.getFileName().toString(), Files.size(p), HfCheckpoint.sha256(p)));
            }
        } catch (IOException e) {
            throw new ModelLoadException("adapter directory cannot be listed: " + e.getMessage(), e);
        }
        return files;
    }

    private static String cacheKey(List<CheckpointFile> manifest) {
        StringBuilder key = new StringBuilder("assay-lora-adapter\n");
        for (String name : List.of(CONFIG, WEIGHTS)) {
            String hash = manifest.stream()
                    .filter(f -> f.name().equals(name))
                    .map(CheckpointFile::sha256)
                    .findFirst()
                    .orElseThrow();
            key.append(name).append(' ').append(hash).append('\n');
        }
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(key.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** What {@code adapter_config.json} says, with PEFT's {@code LoraConfig} defaults for absent fields. */
    private static final class Settings {
        private final int r;
        private final double alpha;
        private final boolean rsLora;
        private final JsonNode targetModules;
        private final Matcher targets;
        private final Matcher excludes;
        private final Map<String, Double> rankPattern;
        private final Map<String, Double> alphaPattern;

        private Settings(JsonNode root) {
            String peftType = optionalString(root, "peft_type");
            if (peftType != null && !peftType.equals("LORA")) {
                throw refused("peft_type " + peftType + " is not read (LORA is)");
            }
            r = positiveInt(root, "r", 8);
            alpha = number(root, "lora_alpha", 8);
            rsLora = bool(root, "use_rslora");
            bool(root, "fan_in_fan_out");
            String bias = optionalString(root, "bias");
            if (bias != null && !bias.equals("none")) {
                throw refused("bias \"" + bias + "\" is not merged (only \"none\" is): the adapter trained biases");
            }
            refuseTrue(root, "use_dora", "DoRA's magnitude vectors are not merged");
            refuseTrue(root, "lora_bias", "LoRA biases are not merged");
            refuseTrue(root, "use_qalora", "QALoRA's pooled inputs are not merged");
            refuseNonEmpty(root, "modules_to_save", "whole modules the adapter replaces are not merged");
            refuseNonEmpty(root, "layers_to_transform", "adapting only some layers is not built");
            refuseNonEmpty(root, "layer_replication", "replicated layers are not built");
            refuseNonEmpty(root, "target_parameters", "LoRA on bare parameters is not merged");
            refuseNonEmpty(root, "trainable_token_indices", "trained token embeddings are not merged");
            refuseNonEmpty(root, "alora_invocation_tokens", "activated LoRA applies only after its tokens");
            targetModules = root.get("target_modules");
            if (targetModules == null || targetModules.isNull()) {
                throw refused("has no target_modules");
            }
            targets = Matcher.of(targetModules, "target_modules");
            JsonNode exclude = root.get("exclude_modules");
            excludes = exclude == null || exclude.isNull() ? null : Matcher.of(exclude, "exclude_modules");
            rankPattern = pattern(root, "rank_pattern");
            alphaPattern = pattern(root, "alpha_pattern");
            for (Map.Entry<String, Double> e : rankPattern.entrySet()) {
                double v = e.getValue();
                if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
                    throw refused("rank_pattern gives " + e.getKey() + " the rank " + v + ", not a positive integer");
                }
            }
        }

        static Settings read(Path file) {
            JsonNode root;
            try {
                root = JSON.readTree(Files.readString(file));
            } catch (IOException | JacksonException e) {
                throw new ModelLoadException(CONFIG + " cannot be read: " + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw refused("is not a JSON object");
            }
            return new Settings(root);
        }

        boolean targets(String module) {
            return targets.matches(module);
        }

        boolean excludes(String module) {
            return excludes != null && excludes.matches(module);
        }

        /** Each target must name a linear layer: one that names nothing, or only a norm, is a mistake. */
        void checkTargetsMatch(Set<String> linear, Set<String> other, boolean tied) {
            for (Matcher one : targets.each()) {
                if (linear.stream().anyMatch(one::matches)) {
                    continue;
                }
                if (tied && one.matches("lm_head")) {
                    throw refused("target_modules " + one.text + " adapts lm_head, which is tied to the embeddings"
                            + " (tie_word_embeddings): merging into it would change the embeddings too, which is not"
                            + " built");
                }
                Optional<String> unsupported =
                        other.stream().filter(one::matches).findFirst();
                if (unsupported.isPresent()) {
                    throw refused("target_modules " + one.text + " adapts " + unsupported.get()
                            + ", which is not a linear layer: only linear layers are merged");
                }
                throw refused("target_modules " + one.text + " matches no layer of the base model");
            }
        }

        int rank(String module) {
            return patternValue(rankPattern, module).map(Double::intValue).orElse(r);
        }

        double scale(String module) {
            int rank = rank(module);
            double a = patternValue(alphaPattern, module).orElse(alpha);
            return rsLora ? a / Math.sqrt(rank) : a / rank;
        }

        private static Optional<Double> patternValue(Map<String, Double> pattern, String module) {
            for (Map.Entry<String, Double> e : pattern.entrySet()) {
                if (Pattern.compile("(.*\\.)?(?:" + e.getKey() + ")")
                        .matcher(module)
                        .matches()) {
                    return Optional.of(e.getValue());
                }
            }
            return Optional.empty();
        }

        private static Map<String, Double> pattern(JsonNode root, String field) {
            JsonNode node = root.get(field);
            Map<String, Double> values = new LinkedHashMap<>();
            if (node == null || node.isNull()) {
                return values;
            }
            if (!node.isObject()) {
                throw refused(field + " is " + node + ", not an object of module patterns");
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isNumber()) {
                    throw refused(field + " gives " + e.getKey() + " the value " + e.getValue() + ", not a number");
                }
                try {
                    Pattern.compile(e.getKey());
                } catch (PatternSyntaxException ex) {
                    throw refused(
                            field + " key " + e.getKey() + " is not a regular expression: " + ex.getDescription());
                }
                values.put(e.getKey(), e.getValue().doubleValue());
            }
            return values;
        }

        private static String optionalString(JsonNode root, String field) {
            JsonNode v = root.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isString()) {
                throw refused(field + " is " + v + ", not a string");
            }
            return v.stringValue();
        }

        private static int positiveInt(JsonNode root, String field, int absent) {
            JsonNode v = root.get(field);
            if (v == null || v.isNull()) {
                return absent;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
                throw refused(field + " is " + v + ", not a positive integer");
            }
            return v.intValue();
        }

        private static double number(JsonNode root, String field, double absent) {
            JsonNode v = root.get(field);
            if (v == null || v.isNull()) {
                return absent;
            }
            if (!v.isNumber()) {
                throw refused(field + " is " + v + ", not a number");
            }
            return v.doubleValue();
        }

        private static boolean bool(JsonNode root, String field) {
            JsonNode v = root.get(field);
            if (v == null || v.isNull()) {
                return false;
            }
            if (!v.isBoolean()) {
                throw refused(field + " is " + v + ", not true or false");
            }
            return v.booleanValue();
        }

        private static void refuseTrue(JsonNode root, String field, String why) {
            JsonNode v = root.get(field);
            if (v != null && !v.isNull() && !(v.isBoolean() && !v.booleanValue())) {
                throw refused(field + " is " + v + ": " + why);
            }
        }

        private static void refuseNonEmpty(JsonNode root, String field, String why) {
            JsonNode v = root.get(field);
            if (v != null && !v.isNull() && !((v.isArray() || v.isObject()) && v.isEmpty())) {
                throw refused(field + " is " + v + ": " + why);
            }
        }
    }

    /** A {@code target_modules} or {@code exclude_modules} value: a list of names, or one regular expression. */
    private record Matcher(String text, List<String> names, Pattern regex) {

        static Matcher of(JsonNode node, String field) {
            if (node.isString()) {
                String value = node.stringValue();
                if (field.equals("target_modules") && value.equals("all-linear")) {
                    // PEFT's INCLUDE_LINEAR_LAYERS_SHORTHAND: every linear layer but the output layer
                    return new Matcher(value, null, Pattern.compile("model\\.layers\\.\\d+\\..*"));
                }
                try {
                    return new Matcher(value, null, Pattern.compile(value));
                } catch (PatternSyntaxException e) {
                    throw refused(field + " " + value + " is not a regular expression: " + e.getDescription());
                }
            }
            if (node.isArray()) {
                List<String> names = new ArrayList<>();
                for (JsonNode n : node) {
                    if (!n.isString() || n.stringValue().isEmpty()) {
                        throw refused(field + " holds " + n + ", not a module name");
                    }
                    names.add(n.stringValue());
                }
                if (names.isEmpty() && field.equals("target_modules")) {
                    throw refused("target_modules is empty");
                }
                return new Matcher(node.toString(), List.copyOf(names), null);
            }
            throw refused(field + " is " + node + ", not a list of module names or a regular expression");
        }

        boolean matches(String module) {
            if (regex != null) {
                return regex.matcher(module).matches();
            }
            return names.stream().anyMatch(n -> module.equals(n) || module.endsWith("." + n));
        }

        /** The list's entries one by one (a regular expression is one entry), to check each matches something. */
        List<Matcher> each() {
            if (regex != null) {
                return List.of(this);
            }
            return names.stream()
                    .map(n -> new Matcher('"' + n + '"', List.of(n), null))
                    .toList();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static ModelLoadException refused(String what) {
        return new ModelLoadException(CONFIG + " " + what);
    }
}
