package ai.assay.worker.engine.prompt;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.worker.engine.TextTokenizer;
import java.util.List;
import java.util.Optional;

/**
 * The text side of a model directory: tokenizer, chat template, special tokens.
 *
 * @param eosTokenIds    the tokens that end generation
 * @param bosTokenId     null when the tokenizer has none
 * @param modelMaxLength tokenizer_config.json's model_max_length, or null
 * @param resources      closed with the model (the native tokenizer), or null
 */
public record ModelText(
        TextTokenizer tokenizer,
        ChatRenderer chatTemplate,
        List<Integer> eosTokenIds,
        Integer bosTokenId,
        boolean addBosToken,
        Integer modelMaxLength,
        AutoCloseable resources) {

    public ModelText {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** Renders a conversation with the model's (or the overriding) chat template. */
    @FunctionalInterface
    public interface ChatRenderer {
        String render(List<ChatMessage> messages, boolean addGenerationPrompt);

        /** The template's Jinja source, where there is one. */
        default Optional<String> template() {
            return Optional.empty();
        }
    }
}
