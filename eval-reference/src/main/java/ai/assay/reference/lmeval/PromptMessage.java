package ai.assay.reference.lmeval;

import java.util.Objects;

/**
 * One chat message of a prompt, as lm-eval hands it to the model's chat template ({@code Message.to_dict()} at
 * 4e7e0d47f: only the role and the content).
 *
 * @param role "system", "user" or "assistant"
 */
public record PromptMessage(String role, String content) {

    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public PromptMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static PromptMessage system(String content) {
        return new PromptMessage(SYSTEM, content);
    }

    public static PromptMessage user(String content) {
        return new PromptMessage(USER, content);
    }

    public static PromptMessage assistant(String content) {
        return new PromptMessage(ASSISTANT, content);
    }
}
