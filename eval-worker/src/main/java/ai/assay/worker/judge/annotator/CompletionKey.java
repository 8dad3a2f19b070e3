package ai.assay.worker.judge.annotator;

/** alpaca_eval's {@code completion_key}: what of the judge's answer the parser reads. */
public enum CompletionKey {

    /** {@code completions}: the answer's text. */
    TEXT("completions"),
    /** {@code completions_all}: the whole OpenAI choice object, with its log-probabilities. */
    CHOICE("completions_all");

    private final String configValue;

    CompletionKey(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    static CompletionKey fromConfig(String value) {
        for (CompletionKey key : values()) {
            if (key.configValue.equals(value)) {
                return key;
            }
        }
        throw new IllegalArgumentException(
                "completion_key must be 'completions' or 'completions_all', got '" + value + "'");
    }
}
