package ai.assay.reference.lmeval;

/**
 * lm-eval's prompt options {@code --system_instruction}, {@code --apply_chat_template} and
 * {@code --fewshot_as_multiturn} (v0.4.x, commit 4e7e0d47f).
 *
 * @param systemInstruction  put before the task's description, joined to it by the task's few-shot delimiter
 *                           (where neither has whitespace at the join); null for none. Without a chat template it
 *                           is written verbatim at the very start of the prompt
 * @param applyChatTemplate  render the prompt as chat messages with the model's chat template
 * @param fewshotAsMultiturn each few-shot example as its own user and assistant turns rather than all of them and
 *                           the question in one user message; lm-eval refuses it without a chat template
 */
public record ChatOptions(String systemInstruction, boolean applyChatTemplate, boolean fewshotAsMultiturn) {

    /** lm-eval's defaults for {@code simple_evaluate}'s prompts: plain text, no system instruction. */
    public static final ChatOptions NONE = new ChatOptions(null, false, false);

    public ChatOptions {
        if (fewshotAsMultiturn && !applyChatTemplate) {
            // lm-eval's EvaluatorConfig refuses the same combination.
            throw new IllegalArgumentException("fewshotAsMultiturn needs applyChatTemplate");
        }
    }

    /** A chat template with the few-shot examples in one user message. */
    public static ChatOptions chat(String systemInstruction) {
        return new ChatOptions(systemInstruction, true, false);
    }

    /** A chat template with the few-shot examples as alternating user and assistant turns. */
    public static ChatOptions multiturn(String systemInstruction) {
        return new ChatOptions(systemInstruction, true, true);
    }

    /** Plain text, optionally with a system instruction in front. */
    public static ChatOptions plain(String systemInstruction) {
        return new ChatOptions(systemInstruction, false, false);
    }
}
