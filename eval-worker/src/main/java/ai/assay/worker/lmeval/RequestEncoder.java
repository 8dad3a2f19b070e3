package ai.assay.worker.lmeval;

import ai.assay.reference.python.PyStrings;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.TextTokenizer;
import java.util.Arrays;

/**
 * Tokenizes {@code (context, continuation)} as lm-eval's HF backend (v0.4.9.2 and later) does:
 * <ol>
 * <li>an empty context becomes {@code [prefix token]} (BOS, else EOS) and the continuation is encoded without
 * special tokens (if it starts with the prefix token, that token is the context);</li>
 * <li>whitespace at the end of the context moves to the front of the continuation;</li>
 * <li>{@code whole = encode(context + continuation)}, {@code ctx = encode(context)}, the continuation is
 * {@code whole[len(ctx):]} (never encoded alone);</li>
 * <li>{@code encode} adds special tokens as the tokenizer does by default, unless {@code add_bos_token} forces them
 * on or off, and never when the text already starts with the prefix token's text;</li>
 * <li>{@code (ctx + cont)} is cut from the left to {@code max_length + 1} tokens.</li>
 * </ol>
 * A generation context is encoded the same way and cut from the left to {@code max_length - max_gen_toks}.
 */
final class RequestEncoder {

    /** A request ready for the engine. */
    record Encoded(int[] context, int[] continuation, boolean truncated) {}

    private final TextTokenizer tokenizer;
    private final Boolean addBosToken;
    private final Integer bosTokenId;
    private final int prefixTokenId;
    private final String prefixText;
    private final int maxLength;

    private String lastContext;
    private int[] lastContextTokens;

    /**
     * @param addBosToken null for the tokenizer's default
     * @param maxLength   the longest input; requests are cut to {@code maxLength + 1} tokens of context and
     *                    continuation, as lm-eval does
     */
    RequestEncoder(TextTokenizer tokenizer, ModelInfo info, Boolean addBosToken, int maxLength) {
        this.tokenizer = tokenizer;
        this.addBosToken = addBosToken;
        this.bosTokenId = info.bosTokenId();
        if (info.bosTokenId() != null) {
            this.prefixTokenId = info.bosTokenId();
        } else if (!info.eosTokenIds().isEmpty()) {
            this.prefixTokenId = info.eosTokenIds().get(0);
        } else {
            throw new IllegalArgumentException("the tokenizer has neither a BOS nor an EOS token");
        }
        String text = tokenizer.decode(new int[] {prefixTokenId}, false);
        this.prefixText = text == null || text.isEmpty() ? null : text;
        this.maxLength = maxLength;
    }

    Encoded encode(String context, String continuation) {
        int[] ctx;
        int[] cont;
        if (context.isEmpty()) {
            int[] encoded = tokenizer.encode(continuation, false);
            if (encoded.length > 0 && encoded[0] == prefixTokenId) {
                ctx = new int[] {prefixTokenId};
                cont = Arrays.copyOfRange(encoded, 1, encoded.length);
            } else {
                ctx = new int[] {prefixTokenId};
                cont = encoded;
            }
        } else {
            String stripped = PyStrings.rstrip(context);
            String movedContext = stripped;
            String movedContinuation = context.substring(stripped.length()) + continuation;
            int[] whole = tokEncode(movedContext + movedContinuation);
            ctx = contextTokens(movedContext);
            // Split by count, as lm-eval does, even where a merge crosses the boundary: the engine then sees the
            // context's own tokens followed by the rest of the whole.
            cont = whole.length > ctx.length ? Arrays.copyOfRange(whole, ctx.length, whole.length) : new int[0];
        }
        if (cont.length == 0) {
            throw new IllegalArgumentException("the continuation %s has no tokens after the context %s"
                    .formatted(PyStrings.repr(continuation), PyStrings.repr(tail(context))));
        }
        if (cont.length > maxLength) {
            throw new IllegalArgumentException(
                    "the continuation has %d tokens, more than the model's %d".formatted(cont.length, maxLength));
        }
        int excess = ctx.length + cont.length - (maxLength + 1);
        if (excess > 0) {
            return new Encoded(Arrays.copyOfRange(ctx, excess, ctx.length), cont, true);
        }
        return new Encoded(ctx, cont, false);
    }

    /** A generation prompt ready for the engine. */
    record EncodedPrompt(int[] tokens, boolean truncated) {}

    /**
     * A {@code generate_until} context as the HF backend encodes it: special tokens as for every request, then cut
     * from the left to {@code max_length - max_gen_toks} tokens so that the generation fits.
     */
    EncodedPrompt encodeGeneration(String context, int maxGenToks) {
        int room = maxLength - maxGenToks;
        if (room < 1) {
            throw new IllegalArgumentException(
                    "generating up to %d tokens leaves no room for a context in the model's %d; lower maxNewTokens"
                            .formatted(maxGenToks, maxLength));
        }
        int[] tokens = tokEncode(context);
        if (tokens.length > room) {
            return new EncodedPrompt(Arrays.copyOfRange(tokens, tokens.length - room, tokens.length), true);
        }
        return new EncodedPrompt(tokens, false);
    }

    /** The context's tokens; the choices of a document share one context, so the last one is kept. */
    private int[] contextTokens(String context) {
        if (!context.equals(lastContext)) {
            lastContext = context;
            lastContextTokens = tokEncode(context);
        }
        return lastContextTokens;
    }

    private int[] tokEncode(String text) {
        boolean special = addBosToken == null || addBosToken;
        if (prefixText != null && text.startsWith(prefixText)) {
            special = false;
        }
        int[] tokens = tokenizer.encode(text, special);
        if (Boolean.TRUE.equals(addBosToken)
                && special
                && bosTokenId != null
                && (tokens.length == 0 || tokens[0] != bosTokenId)) {
            int[] withBos = new int[tokens.length + 1];
            withBos[0] = bosTokenId;
            System.arraycopy(tokens, 0, withBos, 1, tokens.length);
            return withBos;
        }
        return tokens;
    }

    private static String tail(String text) {
        return text.length() <= 40 ? text : "..." + text.substring(text.length() - 40);
    }
}
