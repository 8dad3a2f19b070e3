package ai.assay.core.validation;

/**
 * The kinds of problem a request can have. The slug is part of the API's contract: it names the problem type
 * ({@code /problems/<slug>}) and must never change once released.
 */
public enum ViolationKind {
    MISSING_FIELD("missing-field", "A required field is missing or empty."),
    UNKNOWN_FIELD("unknown-field", "The request has a field that this endpoint does not know."),
    INVALID_TYPE("invalid-type", "A field has the wrong JSON type (for example a string where a number belongs)."),
    OUT_OF_RANGE("out-of-range", "A value lies outside the range the field allows."),
    INVALID_VALUE("invalid-value", "A value is not one of those the field allows, or is malformed."),
    UNKNOWN_TASK("unknown-task", "A task name is not in the service's task registry (see GET /tasks)."),
    UNKNOWN_OPTION("unknown-option", "A task option is not one that the task defines (see GET /tasks)."),
    DUPLICATE_TASK("duplicate-task", "The same task is listed more than once in one evaluation."),
    INVALID_MODEL_URI("invalid-model-uri", "The model URI is not a file: URI or an absolute path to a directory.");

    private final String slug;
    private final String description;

    ViolationKind(String slug, String description) {
        this.slug = slug;
        this.description = description;
    }

    public String slug() {
        return slug;
    }

    public String description() {
        return description;
    }
}
