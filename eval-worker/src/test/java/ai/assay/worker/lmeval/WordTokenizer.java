package ai.assay.worker.lmeval;

import ai.assay.worker.engine.TextTokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test tokenizer that merges like GPT-2's: a word takes the whitespace before it (" Paris" is one token), so
 * splitting at a trailing space of the context goes wrong unless the space moves to the continuation. Special
 * tokens: {@code <s>} = 1 (added in front when {@code addsBos}), {@code </s>} = 2.
 */
final class WordTokenizer implements TextTokenizer {

    static final int BOS = 1;
    static final int EOS = 2;
    private static final Pattern PIECE = Pattern.compile("<s>|</s>|\\s*[^\\s<]+|\\s+|<");

    private final boolean addsBos;
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> pieces = new ArrayList<>(List.of("<pad>", "<s>", "</s>"));

    WordTokenizer(boolean addsBos) {
        this.addsBos = addsBos;
        ids.put("<pad>", 0);
        ids.put("<s>", BOS);
        ids.put("</s>", EOS);
    }

    @Override
    public synchronized int[] encode(String text, boolean addSpecialTokens) {
        List<Integer> tokens = new ArrayList<>();
        if (addSpecialTokens && addsBos) {
            tokens.add(BOS);
        }
        Matcher m = PIECE.matcher(text);
        while (m.find()) {
            String piece = m.group();
            Integer id = ids.get(piece);
            if (id == null) {
                id = pieces.size();
                pieces.add(piece);
                ids.put(piece, id);
            }
            tokens.add(id);
        }
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public synchronized String decode(int[] tokenIds, boolean skipSpecialTokens) {
        StringBuilder out = new StringBuilder();
        for (int id : tokenIds) {
            if (skipSpecialTokens && (id == BOS || id == EOS)) {
                continue;
            }
            out.append(pieces.get(id));
        }
        return out.toString();
    }

    @Override
    public synchronized String tokenText(int tokenId) {
        return tokenId < pieces.size() ? pieces.get(tokenId) : null;
    }

    synchronized String piece(int id) {
        return pieces.get(id);
    }
}
