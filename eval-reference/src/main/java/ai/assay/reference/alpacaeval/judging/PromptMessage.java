package ai.assay.reference.alpacaeval.judging;

/**
 * One chat message of a judge prompt.
 *
 * @param role "system", "user", "assistant" or "developer"
 * @param name the optional participant name ({@code <|im_start|>system name=example_user} in ChatML text)
 */
public record PromptMessage(String role, String content, String name) {}
