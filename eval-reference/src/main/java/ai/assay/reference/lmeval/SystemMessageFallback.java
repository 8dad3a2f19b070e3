package ai.assay.reference.lmeval;

import ai.assay.reference.chat.ChatTemplateException;
import java.util.List;
import java.util.function.Consumer;

/**
 * lm-eval's {@code HFLM.apply_chat_template}: the messages rendered with the model's template, and when the template
 * fails, rendered once more without the system messages (a template that rejects the system role, such as Gemma's).
 * A chat with no system message to drop fails as the template failed.
 */
public final class SystemMessageFallback implements ChatPrompt.Renderer {

    private final ChatPrompt.Renderer template;
    private final Consumer<ChatTemplateException> onFallback;

    /**
     * @param template   the model's chat template
     * @param onFallback told each time the system messages are dropped (to warn), with the template's failure
     */
    public SystemMessageFallback(ChatPrompt.Renderer template, Consumer<ChatTemplateException> onFallback) {
        this.template = template;
        this.onFallback = onFallback;
    }

    @Override
    public String render(List<PromptMessage> messages, boolean addGenerationPrompt) {
        try {
            return template.render(messages, addGenerationPrompt);
        } catch (ChatTemplateException e) {
            List<PromptMessage> withoutSystem = messages.stream()
                    .filter(m -> !PromptMessage.SYSTEM.equals(m.role()))
                    .toList();
            if (withoutSystem.size() == messages.size()) {
                throw e;
            }
            onFallback.accept(e);
            return template.render(withoutSystem, addGenerationPrompt);
        }
    }
}
