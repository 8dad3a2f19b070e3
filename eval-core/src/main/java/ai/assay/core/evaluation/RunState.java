package ai.assay.core.evaluation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The states of an evaluation and of each of its tasks. The database enforces the same set with a CHECK
 * constraint; the transitions are drawn in docs/architecture.md.
 */
public enum RunState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** The value stored in the database and shown in the API. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public static RunState of(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("unknown state '" + value + "'"));
    }

    public static Optional<RunState> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }
}
