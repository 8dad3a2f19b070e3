package ai.assay.worker.lmeval;

import ai.assay.reference.lmeval.ChatPrompt;
import ai.assay.reference.lmeval.PromptMessage;
import ai.assay.worker.engine.ChatMessage;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.prompt.ChatTemplateException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders lm-eval's chat messages with the model's own chat template, as lm-eval's {@code HFLM.apply_chat_template}
 * does: when the template fails, the chat is rendered once more without its system messages (a template that
 * rejects the system role, such as Gemma's), with a warning.
 */
final class ModelChatTemplate implements ChatPrompt.Renderer {

    private static final Logger log = LoggerFactory.getLogger(ModelChatTemplate.class);

    private final String task;
    private final LanguageModel model;
    private boolean warned;

    ModelChatTemplate(String task, LanguageModel model) {
        this.task = task;
        this.model = model;
    }

    @Override
    public String render(List<PromptMessage> messages, boolean addGenerationPrompt) {
        try {
            return model.applyChatTemplate(chat(messages), addGenerationPrompt);
        } catch (ChatTemplateException e) {
            List<PromptMessage> withoutSystem = messages.stream()
                    .filter(m -> !PromptMessage.SYSTEM.equals(m.role()))
                    .toList();
            if (withoutSystem.size() == messages.size()) {
                throw e;
            }
            if (!warned) {
                warned = true;
                log.warn(
                        "{}: the chat template failed ({}); rendering without the system message",
                        task,
                        e.getMessage());
            }
            return model.applyChatTemplate(chat(withoutSystem), addGenerationPrompt);
        }
    }

    private static List<ChatMessage> chat(List<PromptMessage> messages) {
        return messages.stream()
                .map(m -> new ChatMessage(m.role(), m.content()))
                .toList();
    }
}
