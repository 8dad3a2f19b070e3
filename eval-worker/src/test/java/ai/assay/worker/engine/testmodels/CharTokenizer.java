package ai.assay.worker.engine.testmodels;

import ai.assay.worker.engine.TextTokenizer;
import java.util.Set;

/**
 * A test double for the tokenizer: token id i is the one character U+0100+i, so decoding is injective and texts
 * are easy to build from ids. Ids in {@code special} decode to nothing when special tokens are skipped.
 */
public record CharTokenizer(Set<Integer> special) implements TextTokenizer {

    public static String text(int... ids) {
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            text.append((char) (0x100 + id));
        }
        return text.toString();
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        return text.chars().map(c -> c - 0x100).toArray();
    }

    @Override
    public String decode(int[] tokenIds, boolean skipSpecialTokens) {
        StringBuilder text = new StringBuilder();
        for (int id : tokenIds) {
            if (!(skipSpecialTokens && special.contains(id))) {
                text.append((char) (0x100 + id));
            }
        }
        return text.toString();
    }

    @Override
    public String tokenText(int tokenId) {
        return text(tokenId);
    }
}
