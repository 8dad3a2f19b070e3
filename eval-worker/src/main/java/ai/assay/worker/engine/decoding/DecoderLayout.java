package ai.assay.worker.engine.decoding;

import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.runtime.GraphSignature;
import ai.assay.worker.engine.runtime.TensorSpec;
import java.util.Set;

/** The two ONNX decoder export layouts the engine runs, told apart by the graph. */
enum DecoderLayout {
    /** Hugging Face Optimum, text-generation-with-past: standard attention ops, position_ids, left padding. */
    OPTIMUM("optimum", PaddingSide.LEFT, true),
    /**
     * onnxruntime-genai model builder: GroupQueryAttention, usually no position_ids, right padding. ORT's
     * GroupQueryAttention refuses several new tokens after a past unless the batch is a single row.
     */
    GENAI("genai", PaddingSide.RIGHT, false);

    private final String label;
    private final PaddingSide padding;
    private final boolean batchedStepsAfterPast;

    DecoderLayout(String label, PaddingSide padding, boolean batchedStepsAfterPast) {
        this.label = label;
        this.padding = padding;
        this.batchedStepsAfterPast = batchedStepsAfterPast;
    }

    String label() {
        return label;
    }

    PaddingSide padding() {
        return padding;
    }

    /** Whether a batch of several rows may run several new tokens each after a KV cache. */
    boolean batchedStepsAfterPast() {
        return batchedStepsAfterPast;
    }

    /**
     * The layout that a graph with these operator types would have, before the graph's inputs and outputs are
     * known: enough to decide what to load with it. {@link #detect} checks the rest.
     */
    static DecoderLayout fromOps(Set<String> ops) {
        return ops.contains("GroupQueryAttention") ? GENAI : OPTIMUM;
    }

    /**
     * @param fileName for messages
     * @param ops      the operator types of the main graph
     */
    static DecoderLayout detect(GraphSignature signature, Set<String> ops, String fileName) {
        if (signature.input("use_cache_branch").isPresent()) {
            throw new ModelLoadException(fileName + " is a legacy merged decoder (input use_cache_branch): export "
                    + "it again without --legacy to get one model.onnx with past inputs");
        }
        for (String required : new String[] {"input_ids", "attention_mask"}) {
            if (signature.input(required).isEmpty()) {
                throw unknown(fileName, signature, "no input " + required);
            }
        }
        if (signature.input("past_key_values.0.key").isEmpty()
                || signature.output("present.0.key").isEmpty()) {
            throw unknown(
                    fileName,
                    signature,
                    "no KV cache (past_key_values.N.key/value inputs and "
                            + "present.N.key/value outputs); export with --task text-generation-with-past");
        }
        if (signature.output("logits").isEmpty()) {
            throw unknown(fileName, signature, "no logits output");
        }
        if (fromOps(ops) == GENAI) {
            return GENAI;
        }
        if (signature.input("position_ids").isPresent()) {
            return OPTIMUM;
        }
        throw unknown(
                fileName,
                signature,
                "neither GroupQueryAttention nodes (genai builder) nor a position_ids " + "input (Optimum)");
    }

    private static ModelLoadException unknown(String fileName, GraphSignature signature, String why) {
        String inputs = String.join(
                ", ", signature.inputs().stream().map(TensorSpec::name).limit(8).toList());
        return new ModelLoadException(fileName + " has an unknown decoder layout: " + why + " (inputs: " + inputs
                + (signature.inputs().size() > 8 ? ", ..." : "") + ")");
    }
}
