package ai.assay.worker.engine.devicecheck;

import ai.assay.worker.engine.checkpoint.TensorDtype;
import java.util.Arrays;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * The model shapes the check builds, with the work it measures on each. {@code 1b} is Llama 3.2 1B's shape (tied
 * embeddings), {@code 8b} Llama 3.1 8B's (untied); {@code tiny} a Llama small enough for a CI run on two CPU cores.
 *
 * @param promptLength      tokens per row of the prefill and decode measurements
 * @param decodeSteps       greedy steps per decode measurement
 * @param scoreLength       tokens per scored sequence
 * @param scoreContinuation how many of a scored sequence's last tokens are the continuation whose log-probs count
 * @param greedyPrompts     fixed prompts whose greedy tokens are recorded, and their lengths
 * @param greedySteps       greedy tokens recorded per prompt
 */
public enum CheckShape {
    TINY("tiny", 64, 128, 2, 4, 2, 16, 512, false, 16, 8, 24, 4, new int[] {5, 9, 16}, 8),
    LLAMA_1B("1b", 2048, 8192, 16, 32, 8, 64, 128256, true, 128, 64, 128, 16, new int[] {8, 32, 64, 128}, 16),
    LLAMA_8B("8b", 4096, 14336, 32, 32, 8, 128, 128256, false, 128, 32, 128, 16, new int[] {8, 32, 64, 128}, 16);

    private final String label;
    private final int hidden;
    private final int intermediate;
    private final int layers;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int vocab;
    private final boolean tied;
    private final int promptLength;
    private final int decodeSteps;
    private final int scoreLength;
    private final int scoreContinuation;
    private final int[] greedyPrompts;
    private final int greedySteps;

    CheckShape(
            String label,
            int hidden,
            int intermediate,
            int layers,
            int heads,
            int kvHeads,
            int headDim,
            int vocab,
            boolean tied,
            int promptLength,
            int decodeSteps,
            int scoreLength,
            int scoreContinuation,
            int[] greedyPrompts,
            int greedySteps) {
        this.label = label;
        this.hidden = hidden;
        this.intermediate = intermediate;
        this.layers = layers;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.vocab = vocab;
        this.tied = tied;
        this.promptLength = promptLength;
        this.decodeSteps = decodeSteps;
        this.scoreLength = scoreLength;
        this.scoreContinuation = scoreContinuation;
        this.greedyPrompts = greedyPrompts;
        this.greedySteps = greedySteps;
    }

    /** By its label: tiny, 1b or 8b. */
    public static CheckShape parse(String text) {
        return Arrays.stream(values())
                .filter(s -> s.label.equalsIgnoreCase(text.trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown shape '" + text + "': one of "
                        + Arrays.stream(values()).map(CheckShape::label).collect(Collectors.joining(", "))));
    }

    public String label() {
        return label;
    }

    /** The checkpoint's config.json. */
    public ObjectNode config(TensorDtype dtype) {
        return RandomCheckpointWriter.llama(hidden, intermediate, layers, heads, kvHeads, headDim, vocab, tied, dtype);
    }

    public int vocab() {
        return vocab;
    }

    public int hidden() {
        return hidden;
    }

    public boolean tied() {
        return tied;
    }

    public int promptLength() {
        return promptLength;
    }

    public int decodeSteps() {
        return decodeSteps;
    }

    public int scoreLength() {
        return scoreLength;
    }

    public int scoreContinuation() {
        return scoreContinuation;
    }

    public int[] greedyPromptLengths() {
        return greedyPrompts.clone();
    }

    public int greedySteps() {
        return greedySteps;
    }
}
