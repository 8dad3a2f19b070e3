package ai.assay.api.problem;

import ai.assay.core.validation.ViolationKind;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * Every kind of problem the API reports, each with a stable type URI ({@code /problems/<slug>}), an HTTP status
 * and a description served at that URI. Slugs are part of the API contract: add kinds, never rename them.
 */
public enum ProblemKind {
    MALFORMED_JSON(
            "malformed-json",
            HttpStatus.BAD_REQUEST,
            "Malformed JSON",
            "The request body is not valid JSON, or is empty where a body is required."),
    MISSING_FIELD(ViolationKind.MISSING_FIELD, "Missing field"),
    UNKNOWN_FIELD(ViolationKind.UNKNOWN_FIELD, "Unknown field"),
    INVALID_TYPE(ViolationKind.INVALID_TYPE, "Wrong type"),
    OUT_OF_RANGE(ViolationKind.OUT_OF_RANGE, "Value out of range"),
    INVALID_VALUE(ViolationKind.INVALID_VALUE, "Invalid value"),
    UNKNOWN_TASK(ViolationKind.UNKNOWN_TASK, "Unknown task"),
    UNKNOWN_OPTION(ViolationKind.UNKNOWN_OPTION, "Unknown task option"),
    DUPLICATE_TASK(ViolationKind.DUPLICATE_TASK, "Duplicate task"),
    INVALID_MODEL_URI(ViolationKind.INVALID_MODEL_URI, "Invalid model URI"),
    OUTBOUND_REFUSED(ViolationKind.OUTBOUND_REFUSED, HttpStatus.UNPROCESSABLE_CONTENT, "Address refused"),
    FILE_OUTSIDE_ROOTS(ViolationKind.FILE_OUTSIDE_ROOTS, HttpStatus.UNPROCESSABLE_CONTENT, "File outside the roots"),
    CODE_EXECUTION_DISABLED(
            ViolationKind.CODE_EXECUTION_DISABLED, HttpStatus.UNPROCESSABLE_CONTENT, "Code execution not enabled"),
    INVALID_PARAMETER(
            "invalid-parameter",
            HttpStatus.BAD_REQUEST,
            "Invalid query parameter",
            "A query parameter is malformed or out of range; the 'parameter' member names it."),
    MALFORMED_REQUEST(
            "malformed-request",
            HttpStatus.BAD_REQUEST,
            "Malformed request",
            "The request's path, a header or a parameter holds characters that are never valid there (control"
                    + " characters, encoded slashes or dots), so it was refused before it reached the API."),
    INVALID_IDEMPOTENCY_KEY(
            "invalid-idempotency-key",
            HttpStatus.BAD_REQUEST,
            "Invalid Idempotency-Key",
            "The Idempotency-Key header must have 1 to 255 printable ASCII characters."),
    IDEMPOTENCY_KEY_REUSED(
            "idempotency-key-reused",
            HttpStatus.CONFLICT,
            "Idempotency-Key reused",
            "The Idempotency-Key was already used for a request with a different body. Retries must send the same"
                    + " body; a new request needs a new key. The 'evaluationId' member names the first request's"
                    + " evaluation."),
    BODY_TOO_LARGE(
            "body-too-large",
            HttpStatus.CONTENT_TOO_LARGE,
            "Request body too large",
            "The request body is larger than the configured limit (assay.api.max-request-body-size, default"
                    + " 1 MiB). Long inputs such as pre-generated outputs belong in a file the task points to."),
    UNSUPPORTED_MEDIA_TYPE(
            "unsupported-media-type",
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            "The request body must be sent as application/json."),
    NOT_ACCEPTABLE(
            "not-acceptable",
            HttpStatus.NOT_ACCEPTABLE,
            "Not acceptable",
            "The endpoint cannot answer in any of the media types the Accept header lists."),
    METHOD_NOT_ALLOWED(
            "method-not-allowed",
            HttpStatus.METHOD_NOT_ALLOWED,
            "Method not allowed",
            "The resource exists but does not support this HTTP method; the Allow header lists those it does."),
    NOT_FOUND(
            "not-found",
            HttpStatus.NOT_FOUND,
            "Not found",
            "There is no resource at this path, or no evaluation with this id."),
    EVALUATION_FINISHED(
            "evaluation-finished",
            HttpStatus.CONFLICT,
            "Evaluation already finished",
            "The evaluation has already succeeded or failed, so it can no longer be cancelled."),
    DATASET_UNAVAILABLE(
            "dataset-unavailable",
            HttpStatus.SERVICE_UNAVAILABLE,
            "Dataset unavailable",
            "A benchmark's dataset split is in neither assay.datasets.dir nor the dataset cache, and could not be"
                    + " downloaded (offline, gated without a token, or the Hub unreachable). The detail names the"
                    + " files looked for."),
    TASK_NOT_FINISHED(
            "task-not-finished",
            HttpStatus.CONFLICT,
            "Task not finished",
            "The task's results exist only once it has succeeded; its samples can be read while it runs."),
    NO_RESULTS(
            "no-results",
            HttpStatus.NOT_FOUND,
            "No leaderboard results",
            "The model or evaluation named has no leaderboard results: no evaluation of that model has ended with a"
                    + " succeeded task that has metrics (for the task asked for, if any). The 'parameter' member says"
                    + " which side."),
    NOTHING_TO_COMPARE(
            "nothing-to-compare",
            HttpStatus.UNPROCESSABLE_CONTENT,
            "Nothing to compare",
            "The two sides of a comparison share no task, or not the task or metric asked for. The 'parameter'"
                    + " member names what to change."),
    MODEL_HAS_RESULTS(
            "model-has-results",
            HttpStatus.CONFLICT,
            "Model already has results",
            "An import names a model that already has leaderboard results, whose place it would take. Import under"
                    + " another model name, or send \"replace\": true with an admin token. The 'evaluationId' member"
                    + " names the results in place. Nothing was stored."),
    LENGTH_CONTROL_UNDEFINED(
            "length-control-undefined",
            HttpStatus.UNPROCESSABLE_CONTENT,
            "Length-controlled win rate undefined",
            "alpaca_eval's length control standardises the length differences by their standard deviation, which"
                    + " has no value for a single annotation or when every output is as long as the baseline's; such"
                    + " an import has no LCWR and is refused. Nothing was stored."),
    UNAUTHENTICATED(
            "unauthenticated",
            HttpStatus.UNAUTHORIZED,
            "Authentication required",
            "The request needs an API token and carried none, or one that is unknown, revoked or malformed. Send"
                    + " 'Authorization: Bearer <token>'; an admin makes tokens with POST /admin/tokens. Nothing was"
                    + " stored."),
    INSUFFICIENT_SCOPE(
            "insufficient-scope",
            HttpStatus.FORBIDDEN,
            "Insufficient scope",
            "The token is valid but lacks the scope this request needs ('read' for every GET and the task preview, 'submit' for"
                    + " evaluations and imports, 'admin' for tokens, the audit trail and cancelling another token's"
                    + " evaluation); the 'requiredScope' member names it. Nothing was stored."),
    RATE_LIMITED(
            "rate-limited",
            HttpStatus.TOO_MANY_REQUESTS,
            "Too many requests",
            "The caller (a token, or an address for requests without one) sent more requests than"
                    + " assay.api.rate-limit allows. The Retry-After header says how many seconds to wait. Nothing was"
                    + " stored."),
    INTERNAL_ERROR(
            "internal-error",
            HttpStatus.INTERNAL_SERVER_ERROR,
            "Internal error",
            "The service failed while handling the request. Nothing was stored; the request can be retried."
                    + " The service log has the details.");

    private final String slug;
    private final HttpStatus status;
    private final String title;
    private final String description;

    ProblemKind(String slug, HttpStatus status, String title, String description) {
        this.slug = slug;
        this.status = status;
        this.title = title;
        this.description = description;
    }

    ProblemKind(ViolationKind kind, String title) {
        this(kind, HttpStatus.BAD_REQUEST, title);
    }

    ProblemKind(ViolationKind kind, HttpStatus status, String title) {
        this(
                kind.slug(),
                status,
                title,
                kind.description() + " The 'errors' member lists each problem with a JSON Pointer to its place.");
    }

    public static ProblemKind of(ViolationKind kind) {
        return valueOf(kind.name());
    }

    public static Optional<ProblemKind> bySlug(String slug) {
        return Arrays.stream(values()).filter(kind -> kind.slug.equals(slug)).findFirst();
    }

    public URI type() {
        return URI.create("/problems/" + slug);
    }

    public String slug() {
        return slug;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }
}
