package ai.assay.worker.engine;

import java.util.List;

/**
 * What the worker knows about a loaded model.
 *
 * @param layout      the export layout detected from the graph: "optimum" or "genai"
 * @param dtype       the precision of the weights: "fp32", "fp16" or "bf16"
 * @param device      where it runs: "cpu" or "cuda:N"
 * @param maxLength   the longest sequence (prompt plus generated tokens) the model takes
 * @param vocabSize   the size of the vocabulary (the width of the logits)
 * @param bosTokenId  the beginning-of-sequence token, or null when the tokenizer has none
 * @param eosTokenIds the tokens that end generation (from generation_config.json and the tokenizer)
 * @param addBosToken whether the tokenizer adds BOS when encoding with special tokens
 */
public record ModelInfo(
        String layout,
        String dtype,
        String device,
        int maxLength,
        int vocabSize,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        boolean addBosToken) {

    public ModelInfo {
        eosTokenIds = List.copyOf(eosTokenIds);
    }
}
