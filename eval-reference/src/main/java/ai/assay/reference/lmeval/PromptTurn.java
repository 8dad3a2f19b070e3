package ai.assay.reference.lmeval;

/**
 * A piece of a prompt as lm-eval's {@code build_qa_turn} makes it ({@code lm_eval/api/utils.py Message} at
 * 4e7e0d47f): a role, a content, and the delimiter that follows the content when the prompt is written as plain
 * text (the target delimiter after a question, the few-shot delimiter after an answer). A chat message drops the
 * delimiter.
 */
record PromptTurn(String role, String content, String delimiter) {

    /** {@code Message.to_text()}. */
    String text() {
        return content + delimiter;
    }

    PromptMessage message() {
        return new PromptMessage(role, content);
    }

    PromptTurn withoutDelimiter() {
        return new PromptTurn(role, content, "");
    }
}
