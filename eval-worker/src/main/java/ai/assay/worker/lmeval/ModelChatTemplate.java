package ai.assay.worker.lmeval;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.reference.lmeval.ChatPrompt;
import ai.assay.reference.lmeval.PromptMessage;
import ai.assay.reference.lmeval.SystemMessageFallback;
import ai.assay.worker.engine.LanguageModel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders lm-eval's chat messages with the model's own chat template, falling back as lm-eval does
 * ({@link SystemMessageFallback}), with one warning per task.
 */
final class ModelChatTemplate implements ChatPrompt.Renderer {

    private static final Logger log = LoggerFactory.getLogger(ModelChatTemplate.class);

    private final SystemMessageFallback rendering;
    private boolean warned;

    ModelChatTemplate(String task, LanguageModel model) {
        this.rendering = new SystemMessageFallback(
                (messages, addGenerationPrompt) -> model.applyChatTemplate(chat(messages), addGenerationPrompt), e -> {
                    if (!warned) {
                        warned = true;
                        log.warn(
                                "{}: the chat template failed ({}); rendering without the system message",
                                task,
                                e.getMessage());
                    }
                });
    }

    @Override
    public String render(List<PromptMessage> messages, boolean addGenerationPrompt) {
        return rendering.render(messages, addGenerationPrompt);
    }

    /** The messages as the engine takes them. */
    static List<ChatMessage> chat(List<PromptMessage> messages) {
        return messages.stream()
                .map(m -> new ChatMessage(m.role(), m.content()))
                .toList();
    }
}
