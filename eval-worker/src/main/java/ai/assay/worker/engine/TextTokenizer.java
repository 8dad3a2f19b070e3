package ai.assay.worker.engine;

/** The model's tokenizer (tokenizer.json), with truncation and padding off. */
public interface TextTokenizer {

    /**
     * @param addSpecialTokens whether to add what the tokenizer adds by default (e.g. BOS for Llama)
     */
    int[] encode(String text, boolean addSpecialTokens);

    String decode(int[] tokenIds, boolean skipSpecialTokens);

    /** The text of a token id as the tokenizer knows it, e.g. "&lt;|eot_id|&gt;", or null if out of range. */
    String tokenText(int tokenId);
}
