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
    INVALID_MODEL_URI("invalid-model-uri", "The model URI is not a file: URI or an absolute path to a directory."),
    OUTBOUND_REFUSED(
            "outbound-refused",
            "A URL the service would call for you (callbackUrl, outputs, referenceOutputs) is refused: it has user"
                    + " information, a scheme other than http or https, or it resolves to a loopback, link-local,"
                    + " private, shared, multicast, reserved or unspecified address that assay.outbound.allow does"
                    + " not list."),
    FILE_OUTSIDE_ROOTS(
            "file-outside-roots",
            "A file the service would read for you (model.uri, model.adapter, a file: outputs or referenceOutputs) lies outside"
                    + " the directories assay.models.roots lists (none by default), names '..', or leaves them"
                    + " through a symbolic link."),
    CODE_EXECUTION_DISABLED(
            "code-execution-disabled",
            "A task runs the code its model writes (HumanEval, MBPP; GET /tasks marks them 'runsCode'), and code"
                    + " execution is not enabled for this deployment (assay.code-execution.enabled, environment"
                    + " ASSAY_CODE_EXECUTION_ENABLED, false by default). An operator enables it where workers run"
                    + " programs in their sandbox.");

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
