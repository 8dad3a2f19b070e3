package ai.assay.worker.alpacaeval;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How an AlpacaEval instruction becomes a prompt and a completion becomes an answer, as HALOs' sampling does it:
 * one user turn through the chat template with the generation prompt; tokenized with the tokenizer's special
 * tokens (vLLM adds BOS to a templated string) unless the rendered text already starts with BOS; stopped at EOS and
 * at the template's end-of-turn marker; the answer stripped of surrounding white space and of ChatML markers.
 */
final class AlpacaEvalPrompts {

    /** End-of-turn markers of the chat-template families in use; those that are single tokens stop generation. */
    private static final List<String> END_OF_TURN =
            List.of("<|im_end|>", "<|eot_id|>", "<end_of_turn>", "</s>", "<|end|>", "<|endoftext|>");

    private static final Pattern CHATML_MARKERS = Pattern.compile("<?\\|(im_start|im_end)\\|>?");

    private AlpacaEvalPrompts() {}

    static String render(LanguageModel model, String instruction) {
        return model.applyChatTemplate(List.of(new ChatMessage("user", instruction)), true);
    }

    static int[] tokenize(LanguageModel model, String prompt) {
        Integer bos = model.info().bosTokenId();
        String bosText = bos == null ? null : model.tokenizer().tokenText(bos);
        boolean templateHasBos = bosText != null && !bosText.isEmpty() && prompt.startsWith(bosText);
        return model.tokenizer().encode(prompt, !templateHasBos);
    }

    /** The end-of-turn markers the model's tokenizer knows as single tokens. */
    static List<String> stopStrings(LanguageModel model) {
        TextTokenizer tokenizer = model.tokenizer();
        List<String> stops = new ArrayList<>();
        for (String marker : END_OF_TURN) {
            int[] ids = tokenizer.encode(marker, false);
            if (ids.length == 1 && marker.equals(tokenizer.tokenText(ids[0]))) {
                stops.add(marker);
            }
        }
        return stops;
    }

    static String answer(String completion) {
        return CHATML_MARKERS.matcher(completion.strip()).replaceAll("");
    }
}
