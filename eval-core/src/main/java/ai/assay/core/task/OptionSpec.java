package ai.assay.core.task;

import ai.assay.core.validation.Violation;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One option a task accepts, with its type, its allowed values and its default. The API validates submitted
 * options against these and stores them with every default filled in, so a worker never guesses a default.
 */
public sealed interface OptionSpec
        permits IntegerOption,
                NumberOption,
                BooleanOption,
                StringOption,
                ObjectOption,
                StringListOption,
                ModelOutputsOption,
                OutputsUriOption,
                GenerationResponsesOption {

    String name();

    String description();

    /** The JSON type of the option, as shown by {@code GET /tasks}. */
    @JsonProperty("type")
    String type();

    /** The value used when the option is left out, or null when leaving it out means "not set". */
    @JsonProperty("default")
    JsonNode defaultValue();

    /**
     * Checks a submitted value.
     *
     * @return the value to store, or null when it is invalid (the reasons are added to {@code violations})
     */
    JsonNode validate(JsonNode value, String pointer, List<Violation> violations);

    /**
     * Whether a string value names a file or URL a worker will open ({@code file:}, {@code http(s):}), which the API
     * puts to the file roots and the outbound guard.
     */
    @JsonIgnore
    default boolean namesLocation() {
        return false;
    }
}
