package ai.assay.worker.engine.testmodels;

import ai.assay.worker.engine.checkpoint.TensorDtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tiny random PEFT LoRA adapters for a {@link TinyCheckpoint}, written as {@code PeftModel.save_pretrained} writes
 * them: {@code adapter_config.json} and {@code adapter_model.safetensors} with
 * {@code base_model.model.<module>.lora_A.weight} [r, in] and {@code lora_B.weight} [out, r] for each linear layer
 * whose name ends with {@code .<target>}. Unlike a fresh PEFT adapter, B is random too, so the adapter changes the
 * model. Values are multiples of 2^-6 with at most 4 significant bits, exact in every dtype.
 * <p>{@link #mergedInto} is the test's own merge, written from the LoRA definition ({@code W + scale · B·A}, scale
 * {@code alpha / r} or {@code alpha / sqrt(r)} with rsLoRA) in plain loops, independent of the builder's.
 *
 * @param rankPattern r per target name, where it differs from {@link #r} (written as PEFT's {@code rank_pattern})
 * @param alphaPattern alpha per target name (written as {@code alpha_pattern})
 */
public record TinyLoraAdapter(
        List<String> targets,
        int r,
        int alpha,
        boolean rsLora,
        TensorDtype dtype,
        Map<String, Integer> rankPattern,
        Map<String, Integer> alphaPattern,
        long seed) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public TinyLoraAdapter {
        targets = List.copyOf(targets);
        rankPattern = Map.copyOf(rankPattern);
        alphaPattern = Map.copyOf(alphaPattern);
    }

    /** r 4, alpha 8 (scale 2), fp32. */
    public static TinyLoraAdapter of(String... targets) {
        return new TinyLoraAdapter(List.of(targets), 4, 8, false, TensorDtype.F32, Map.of(), Map.of(), 11);
    }

    public TinyLoraAdapter withRsLora(boolean rs) {
        return new TinyLoraAdapter(targets, r, alpha, rs, dtype, rankPattern, alphaPattern, seed);
    }

    public TinyLoraAdapter withDtype(TensorDtype d) {
        return new TinyLoraAdapter(targets, r, alpha, rsLora, d, rankPattern, alphaPattern, seed);
    }

    public TinyLoraAdapter withSeed(long s) {
        return new TinyLoraAdapter(targets, r, alpha, rsLora, dtype, rankPattern, alphaPattern, s);
    }

    public TinyLoraAdapter withPatterns(Map<String, Integer> ranks, Map<String, Integer> alphas) {
        return new TinyLoraAdapter(targets, r, alpha, rsLora, dtype, ranks, alphas, seed);
    }

    public ObjectNode configJson() {
        ObjectNode c = JSON.createObjectNode();
        c.put("peft_type", "LORA");
        c.put("task_type", "CAUSAL_LM");
        c.put("base_model_name_or_path", "tiny");
        c.put("r", r);
        c.put("lora_alpha", alpha);
        c.put("lora_dropout", 0.05);
        targets.forEach(c.putArray("target_modules")::add);
        c.put("bias", "none");
        c.put("fan_in_fan_out", false);
        c.put("use_rslora", rsLora);
        c.put("use_dora", false);
        c.putNull("modules_to_save");
        c.putNull("layers_to_transform");
        c.putNull("layers_pattern");
        ObjectNode ranks = c.putObject("rank_pattern");
        rankPattern.forEach(ranks::put);
        ObjectNode alphas = c.putObject("alpha_pattern");
        alphaPattern.forEach(alphas::put);
        c.put("inference_mode", true);
        c.put("init_lora_weights", true);
        return c;
    }

    /** The adapter's tensors for {@code base}: lora_A then lora_B of each targeted layer, in the base's order. */
    public List<SafetensorsWriter.Entry> tensors(TinyCheckpoint base) {
        Random random = new Random(seed);
        List<SafetensorsWriter.Entry> out = new ArrayList<>();
        for (SafetensorsWriter.Entry w : base.tensors()) {
            String target = targetOf(w);
            if (target == null) {
                continue;
            }
            String module = module(w);
            long rank = rankOf(target);
            out.add(random(
                    random,
                    "base_model.model." + module + ".lora_A.weight",
                    rank,
                    w.shape().get(1),
                    32));
            out.add(random(
                    random,
                    "base_model.model." + module + ".lora_B.weight",
                    w.shape().get(0),
                    rank,
                    64));
        }
        return out;
    }

    /** Writes the config and the weights into {@code directory} (created), and returns it. */
    public Path writeTo(Path directory, TinyCheckpoint base) {
        return writeTo(directory, configJson(), tensors(base));
    }

    /** Writes {@code config} and {@code tensors}: for tests that change a setting or a tensor. */
    public static Path writeTo(Path directory, ObjectNode config, List<SafetensorsWriter.Entry> tensors) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("adapter_config.json"), config.toPrettyString());
            SafetensorsWriter.write(directory.resolve("adapter_model.safetensors"), tensors);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The scale of a target's update. */
    public double scale(String target) {
        int rank = rankOf(target);
        double a = alphaPattern.getOrDefault(target, alpha);
        return rsLora ? a / Math.sqrt(rank) : a / rank;
    }

    /**
     * The base's tensors with the adapter merged in, each targeted weight as fp32 {@code W + scale · B·A} (summed in
     * double, rounded once), every other tensor as the base has it: what a checkpoint merged by PEFT in fp32 holds.
     */
    public List<SafetensorsWriter.Entry> mergedInto(TinyCheckpoint base) {
        Map<String, float[]> lora = new LinkedHashMap<>();
        for (SafetensorsWriter.Entry e : tensors(base)) {
            lora.put(e.name(), e.values());
        }
        List<SafetensorsWriter.Entry> out = new ArrayList<>();
        for (SafetensorsWriter.Entry w : base.tensors()) {
            String target = targetOf(w);
            if (target == null) {
                out.add(SafetensorsWriter.Entry.of(w.name(), TensorDtype.F32, w.shape(), w.values()));
                continue;
            }
            float[] a = lora.get("base_model.model." + module(w) + ".lora_A.weight");
            float[] b = lora.get("base_model.model." + module(w) + ".lora_B.weight");
            int rows = (int) (long) w.shape().get(0);
            int cols = (int) (long) w.shape().get(1);
            int rank = rankOf(target);
            double scale = scale(target);
            float[] merged = new float[rows * cols];
            for (int o = 0; o < rows; o++) {
                for (int i = 0; i < cols; i++) {
                    double sum = 0;
                    for (int k = 0; k < rank; k++) {
                        sum += (double) b[o * rank + k] * a[k * cols + i];
                    }
                    merged[o * cols + i] = (float) (w.values()[o * cols + i] + scale * sum);
                }
            }
            out.add(SafetensorsWriter.Entry.of(w.name(), TensorDtype.F32, w.shape(), merged));
        }
        return out;
    }

    private int rankOf(String target) {
        return rankPattern.getOrDefault(target, r);
    }

    /** The target a base tensor's layer matches, or null: linear weights only (2-d, not the embeddings). */
    private String targetOf(SafetensorsWriter.Entry w) {
        if (!w.name().endsWith(".weight") || w.shape().size() != 2 || w.name().equals("model.embed_tokens.weight")) {
            return null;
        }
        String module = module(w);
        for (String t : targets) {
            if (module.equals(t) || module.endsWith("." + t)) {
                return t;
            }
        }
        return null;
    }

    private static String module(SafetensorsWriter.Entry w) {
        return w.name().substring(0, w.name().length() - ".weight".length());
    }

    private SafetensorsWriter.Entry random(Random random, String name, long rows, long cols, int denominator) {
        float[] v = new float[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (random.nextInt(17) - 8) / (float) denominator;
        }
        return SafetensorsWriter.Entry.of(name, dtype, List.of(rows, cols), v);
    }
}
