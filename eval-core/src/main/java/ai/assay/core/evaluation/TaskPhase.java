package ai.assay.core.evaluation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a running task is doing now. */
public enum TaskPhase {
    LOADING,
    GENERATING,
    JUDGING,
    SCORING;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskPhase of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
