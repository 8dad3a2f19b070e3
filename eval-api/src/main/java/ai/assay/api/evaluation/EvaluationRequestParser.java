package ai.assay.api.evaluation;

import ai.assay.api.problem.InvalidRequestException;
import ai.assay.api.problem.JacksonViolations;
import ai.assay.api.system.ApiProperties;
import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.NewEvaluation;
import ai.assay.core.task.ResolvedTask;
import ai.assay.core.task.TaskRegistry;
import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.StorableText;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.lang.annotation.Annotation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the body of {@code POST /evaluations} into a {@link NewEvaluation}, or into every violation it has at
 * once: structure and ranges (Bean Validation), the model URI, labels, the callback URL, and each task against
 * the task registry; then, for a well-formed request, whether what it names may be called or opened
 * ({@link SubmittedLocations}).
 */
@Component
class EvaluationRequestParser {

    private final JsonMapper mapper;
    private final Validator validator;
    private final TaskRegistry tasks;
    private final ApiProperties properties;
    private final SubmittedLocations locations;

    EvaluationRequestParser(
            JsonMapper mapper,
            Validator validator,
            TaskRegistry tasks,
            ApiProperties properties,
            SubmittedLocations locations) {
        this.mapper = mapper;
        this.validator = validator;
        this.tasks = tasks;
        this.properties = properties;
        this.locations = locations;
    }

    /** Whether no task needs the model: each gives its responses or outputs ({@code outputs}), so none is loaded. */
    private static boolean everyTaskGivesOutputs(List<JsonNode> tasks) {
        return tasks != null
                && !tasks.isEmpty()
                && tasks.stream().allMatch(task -> task != null && task.hasNonNull("outputs"));
    }

    NewEvaluation parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(List.of(new Violation(
                    ViolationKind.INVALID_TYPE, "", "the body must be a JSON object with 'model' and 'tasks'")));
        }
        List<Violation> unstorable = StorableText.violations(body);
        if (!unstorable.isEmpty()) {
            throw new InvalidRequestException(unstorable);
        }
        CreateEvaluationRequest request = bind(body);
        List<Violation> violations = new ArrayList<>(constraintViolations(request));

        String modelUri = null;
        if (request.model() != null
                && request.model().uri() != null
                && !request.model().uri().isEmpty()) {
            modelUri = ModelUris.normalize(request.model().uri(), "/model/uri", violations);
        }
        String adapterUri = null;
        if (request.model() != null && request.model().adapter() != null) {
            adapterUri = ModelUris.normalize(request.model().adapter(), "/model/adapter", violations);
            if (request.model().uri() == null) {
                violations.add(new Violation(
                        ViolationKind.MISSING_FIELD,
                        "/model/uri",
                        "'uri' is required with 'adapter': the adapter is merged into the checkpoint it names"));
            }
        }
        Map<String, String> labels = request.labels() == null ? Map.of() : request.labels();
        Labels.validate(labels, "/labels", violations);
        URI callbackUrl = request.callbackUrl() == null ? null : callbackUrl(request.callbackUrl(), violations);
        List<ResolvedTask> resolvedTasks = resolveTasks(request.tasks(), violations);
        if (request.model() != null && request.model().uri() == null && !everyTaskGivesOutputs(request.tasks())) {
            violations.add(new Violation(
                    ViolationKind.MISSING_FIELD,
                    "/model/uri",
                    "'uri' is required unless every task scores responses made elsewhere (the option 'outputs')"));
        }

        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        // Well-formed: now whether a worker may call and open what it names (422 when it may not).
        if (modelUri != null) {
            locations.checkModel(request.model().uri(), violations);
        }
        if (adapterUri != null) {
            locations.checkAdapter(request.model().adapter(), violations);
        }
        if (callbackUrl != null) {
            locations.checkCallback(callbackUrl, violations);
        }
        locations.checkTasks(resolvedTasks, violations);
        locations.checkCodeExecution(resolvedTasks, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        var model = request.model();
        return new NewEvaluation(
                new ModelRef(model.name(), modelUri, model.revision(), model.chatTemplate(), adapterUri),
                resolvedTasks,
                labels,
                request.priority() == null ? 0 : request.priority(),
                callbackUrl,
                properties.maxAttempts(),
                body);
    }

    private CreateEvaluationRequest bind(JsonNode body) {
        try {
            return mapper.treeToValue(body, CreateEvaluationRequest.class);
        } catch (JacksonException e) {
            Optional<Violation> violation = JacksonViolations.of(e);
            if (violation.isEmpty()) {
                throw e;
            }
            throw new InvalidRequestException(List.of(violation.get()));
        }
    }

    private List<Violation> constraintViolations(CreateEvaluationRequest request) {
        return validator.validate(request).stream()
                .map(EvaluationRequestParser::violationOf)
                .sorted(Comparator.comparing(Violation::pointer))
                .toList();
    }

    private static Violation violationOf(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String pointer = "/" + path.replace('.', '/');
        String field = path.substring(path.lastIndexOf('.') + 1);
        Class<? extends Annotation> constraint =
                violation.getConstraintDescriptor().getAnnotation().annotationType();
        boolean missing = constraint == NotNull.class
                || constraint == NotEmpty.class
                || (violation.getInvalidValue() instanceof CharSequence text && text.isEmpty());
        ViolationKind kind = missing ? ViolationKind.MISSING_FIELD : ViolationKind.OUT_OF_RANGE;
        String detail = missing
                ? "'%s' is required and must not be empty".formatted(field)
                : "'%s': %s".formatted(field, violation.getMessage());
        return new Violation(kind, pointer, detail);
    }

    private static URI callbackUrl(String text, List<Violation> violations) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getPort() <= 65535) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        violations.add(new Violation(
                ViolationKind.INVALID_VALUE, "/callbackUrl", "'callbackUrl' must be an absolute http or https URL"));
        return null;
    }

    private List<ResolvedTask> resolveTasks(List<JsonNode> submitted, List<Violation> violations) {
        if (submitted == null) {
            return List.of();
        }
        List<ResolvedTask> resolved = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < submitted.size(); i++) {
            String pointer = JsonPointers.child("/tasks", i);
            Optional<ResolvedTask> task = tasks.resolve(submitted.get(i), pointer, violations);
            if (task.isEmpty()) {
                continue;
            }
            if (!seen.add(task.get().name())) {
                violations.add(new Violation(
                        ViolationKind.DUPLICATE_TASK,
                        JsonPointers.child(pointer, "name"),
                        "the task '%s' is listed more than once"
                                .formatted(task.get().name())));
            }
            resolved.add(task.get());
        }
        return resolved;
    }
}
