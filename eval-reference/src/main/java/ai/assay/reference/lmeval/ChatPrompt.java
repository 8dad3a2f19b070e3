package ai.assay.reference.lmeval;

import ai.assay.reference.python.PyStrings;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat messages lm-eval builds for one document under {@code --apply_chat_template} (commit 4e7e0d47f,
 * {@code ConfigurableTask.fewshot_context}), before the model's template renders them.
 *
 * <p>The messages: the system prompt when there is one ({@code --system_instruction} and the task's description
 * joined by the few-shot delimiter); then, with {@code fewshot_as_multiturn}, each few-shot example as a user
 * message (its text, no target delimiter) and an assistant message (its answer, after {@code gen_prefix} and a
 * space where neither has whitespace at the join, no few-shot delimiter), and the document's text as a last user
 * message; without it ({@code multiturn_to_singleturn}) the examples and the text written as plain text, with their
 * delimiters, in one user message. A task with a {@code gen_prefix} ends with an assistant message holding it.
 *
 * <p>Rendering ({@code HFLM.apply_chat_template}): {@code add_generation_prompt=True} when the last message is the
 * user's; with a {@code gen_prefix}, {@code add_generation_prompt=False, continue_final_message=True}, so the
 * rendered text stops right after the prefix and the model continues the assistant's turn.
 *
 * @param conversations         the messages of each context: one for most tasks, one per choice for a
 *                              multiple-input task (WinoGrande)
 * @param continueFinalMessage  whether the last message is a {@code gen_prefix} the model continues
 */
public record ChatPrompt(List<List<PromptMessage>> conversations, boolean continueFinalMessage) {

    public ChatPrompt {
        conversations = conversations.stream().map(List::copyOf).toList();
    }

    /**
     * Renders messages with a model's chat template, as transformers' {@code apply_chat_template(tokenize=False)}
     * (without {@code continue_final_message}: {@link ChatPrompt#render} applies it).
     */
    @FunctionalInterface
    public interface Renderer {
        String render(List<PromptMessage> messages, boolean addGenerationPrompt);
    }

    /** Each context's templated text, in order. */
    public List<String> render(Renderer renderer) {
        List<String> contexts = new ArrayList<>(conversations.size());
        for (List<PromptMessage> messages : conversations) {
            if (continueFinalMessage) {
                String rendered = renderer.render(messages, false);
                contexts.add(continueFinalMessage(
                        rendered, messages.get(messages.size() - 1).content()));
            } else {
                contexts.add(renderer.render(messages, true));
            }
        }
        return contexts;
    }

    /**
     * transformers' {@code continue_final_message}: the rendered chat cut right after the last occurrence of the final
     * message's content (found stripped); the content's trailing whitespace stays when the template kept it, and goes
     * when the template trimmed it.
     *
     * @throws IllegalArgumentException when the template dropped part of the final message
     */
    public static String continueFinalMessage(String rendered, String finalMessage) {
        String stripped = PyStrings.strip(finalMessage);
        int at = rendered.lastIndexOf(stripped);
        if (at < 0) {
            throw new IllegalArgumentException("continue_final_message: the final message does not appear in the chat"
                    + " after applying the chat template");
        }
        int leftStripped = PyStrings.lstrip(finalMessage).length();
        int end = Math.min(rendered.length(), at + leftStripped);
        if (rendered.substring(at, end).equals(finalMessage)) {
            return rendered.substring(0, at + leftStripped);
        }
        return rendered.substring(0, at + stripped.length());
    }

    /**
     * The messages a template gets: each turn as it is ({@code fewshot_as_multiturn}), or folded as lm-eval's
     * {@code multiturn_to_singleturn} folds them: the system message first, then everything up to the user's last
     * text in one user message written as plain text (the last piece without its delimiter), then a final
     * assistant prefill if there is one.
     */
    static List<PromptMessage> conversation(List<PromptTurn> turns, boolean multiturn) {
        if (multiturn) {
            return turns.stream().map(PromptTurn::message).toList();
        }
        List<PromptMessage> messages = new ArrayList<>();
        List<PromptTurn> rest = turns;
        if (!turns.isEmpty() && PromptMessage.SYSTEM.equals(turns.get(0).role())) {
            messages.add(turns.get(0).message());
            rest = turns.subList(1, turns.size());
        }
        PromptTurn prefill = null;
        if (PromptMessage.ASSISTANT.equals(rest.get(rest.size() - 1).role())) {
            prefill = rest.get(rest.size() - 1);
            rest = rest.subList(0, rest.size() - 1);
        }
        StringBuilder user = new StringBuilder();
        for (int i = 0; i < rest.size(); i++) {
            user.append(
                    i == rest.size() - 1 ? rest.get(i).content() : rest.get(i).text());
        }
        messages.add(PromptMessage.user(user.toString()));
        if (prefill != null) {
            messages.add(prefill.message());
        }
        return messages;
    }
}
