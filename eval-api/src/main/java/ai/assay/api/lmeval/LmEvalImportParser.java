package ai.assay.api.lmeval;

import ai.assay.api.evaluation.Labels;
import ai.assay.api.problem.InvalidRequestException;
import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.StorableText;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks the shape of the body of {@code POST /imports/lm-eval}: {@code {"model": {"name", "revision"}, "results":
 * {a results_*.json}, "samples": {"<task>": "<the text of samples_<task>.jsonl>" | [its lines as objects]},
 * "labels", "replace"}}. What the files say is checked against Assay's tasks afterwards ({@link LmEvalImports}).
 */
final class LmEvalImportParser {

    static final int MAX_LINES = 200_000;
    private static final int MAX_REPORTED = 100;
    private static final Set<String> FIELDS = Set.of("model", "results", "samples", "labels", "replace");
    private static final Set<String> MODEL_FIELDS = Set.of("name", "revision");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private LmEvalImportParser() {}

    static LmEvalImport parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(List.of(new Violation(
                    ViolationKind.INVALID_TYPE,
                    "",
                    "the body must be a JSON object with 'model', 'results' and 'samples'")));
        }
        List<Violation> violations = new ArrayList<>();
        List<Violation> unstorable = StorableText.violations(body);
        if (!unstorable.isEmpty()) {
            throw new InvalidRequestException(unstorable.subList(0, Math.min(unstorable.size(), MAX_REPORTED)));
        }
        body.propertyNames().stream()
                .filter(name -> !FIELDS.contains(name))
                .forEach(name -> violations.add(new Violation(
                        ViolationKind.UNKNOWN_FIELD,
                        JsonPointers.child("", name),
                        "unknown field '%s'; known fields: %s".formatted(name, FIELDS))));
        String model = null;
        String revision = null;
        JsonNode modelNode = body.get("model");
        if (modelNode == null || modelNode.isNull()) {
            violations.add(new Violation(
                    ViolationKind.MISSING_FIELD, "/model", "'model' is required: {\"name\": the leaderboard name}"));
        } else if (!modelNode.isObject()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE, "/model", "'model' must be an object such as {\"name\": \"pythia\"}"));
        } else {
            modelNode.propertyNames().stream()
                    .filter(name -> !MODEL_FIELDS.contains(name))
                    .forEach(name -> violations.add(new Violation(
                            ViolationKind.UNKNOWN_FIELD,
                            JsonPointers.child("/model", name),
                            "unknown field '%s'; known fields: %s".formatted(name, MODEL_FIELDS))));
            model = text(modelNode, "name", "/model/name", true, violations);
            revision = text(modelNode, "revision", "/model/revision", false, violations);
        }
        Map<String, String> labels = labels(body.get("labels"), violations);
        JsonNode replace = body.get("replace");
        if (replace != null && !replace.isNull() && !replace.isBoolean()) {
            violations.add(new Violation(ViolationKind.INVALID_TYPE, "/replace", "'replace' must be true or false"));
        }
        ObjectNode results = null;
        JsonNode resultsNode = body.get("results");
        if (resultsNode == null || resultsNode.isNull()) {
            violations.add(new Violation(
                    ViolationKind.MISSING_FIELD,
                    "/results",
                    "'results' is required: the results_*.json lm-eval wrote"));
        } else if (!resultsNode.isObject()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE, "/results", "'results' must be the object of a results_*.json"));
        } else {
            results = (ObjectNode) resultsNode;
            for (String member : List.of("results", "versions", "n-shot", "group_subtasks")) {
                JsonNode value = results.get(member);
                if (value == null || !value.isObject()) {
                    violations.add(new Violation(
                            value == null ? ViolationKind.MISSING_FIELD : ViolationKind.INVALID_TYPE,
                            JsonPointers.child("/results", member),
                            "a results.json has the object '%s' (lm-eval v0.4 writes it)".formatted(member)));
                }
            }
            JsonNode subtasks = results.get("group_subtasks");
            if (subtasks != null && subtasks.isObject()) {
                for (var entry : subtasks.properties()) {
                    JsonNode children = entry.getValue();
                    boolean names = children.isArray();
                    for (JsonNode child : children) {
                        names &= child.isString();
                    }
                    if (!names) {
                        violations.add(new Violation(
                                ViolationKind.INVALID_TYPE,
                                JsonPointers.child("/results/group_subtasks", entry.getKey()),
                                "group_subtasks maps each task or group to the names of its subtasks ([] for a task)"));
                    }
                }
            }
        }
        Map<String, List<LmEvalImport.Line>> samples = samples(body.get("samples"), violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(
                    violations.size() > MAX_REPORTED ? violations.subList(0, MAX_REPORTED) : violations);
        }
        return new LmEvalImport(model, revision, labels, results, samples, replace != null && replace.asBoolean(false));
    }

    private static Map<String, List<LmEvalImport.Line>> samples(JsonNode samples, List<Violation> violations) {
        Map<String, List<LmEvalImport.Line>> parsed = new LinkedHashMap<>();
        if (samples == null || samples.isNull()) {
            violations.add(new Violation(
                    ViolationKind.MISSING_FIELD,
                    "/samples",
                    "'samples' is required: by task, the samples_<task>.jsonl that lm-eval --log_samples wrote"));
            return parsed;
        }
        if (!samples.isObject() || samples.isEmpty()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE,
                    "/samples",
                    "'samples' must be an object of task name to the text of its samples_<task>.jsonl (or its"
                            + " lines as an array of objects)"));
            return parsed;
        }
        int total = 0;
        for (var entry : samples.properties()) {
            String pointer = JsonPointers.child("/samples", entry.getKey());
            JsonNode value = entry.getValue();
            List<LmEvalImport.Line> lines = new ArrayList<>();
            if (value.isString()) {
                String[] texts = value.stringValue().split("\n", -1);
                for (int i = 0; i < texts.length; i++) {
                    String text = texts[i].strip();
                    if (text.isEmpty()) {
                        continue;
                    }
                    String linePointer = JsonPointers.child(pointer, lines.size());
                    try {
                        JsonNode line = MAPPER.readTree(text);
                        if (line.isObject()) {
                            lines.add(new LmEvalImport.Line(linePointer, (ObjectNode) line));
                        } else {
                            violations.add(new Violation(
                                    ViolationKind.INVALID_TYPE,
                                    pointer,
                                    "line %d of samples_%s.jsonl is not a JSON object"
                                            .formatted(i + 1, entry.getKey())));
                        }
                    } catch (JacksonException e) {
                        violations.add(new Violation(
                                ViolationKind.INVALID_VALUE,
                                pointer,
                                "line %d of samples_%s.jsonl is not JSON: %s"
                                        .formatted(i + 1, entry.getKey(), e.getOriginalMessage())));
                    }
                }
            } else if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    if (value.get(i).isObject()) {
                        lines.add(new LmEvalImport.Line(JsonPointers.child(pointer, i), (ObjectNode) value.get(i)));
                    } else {
                        violations.add(new Violation(
                                ViolationKind.INVALID_TYPE,
                                JsonPointers.child(pointer, i),
                                "each line of a samples file is an object"));
                    }
                }
            } else {
                violations.add(new Violation(
                        ViolationKind.INVALID_TYPE,
                        pointer,
                        "the samples of %s must be the text of samples_%s.jsonl or an array of its lines"
                                .formatted(entry.getKey(), entry.getKey())));
            }
            if (lines.isEmpty() && (value.isString() || value.isArray())) {
                violations.add(new Violation(
                        ViolationKind.MISSING_FIELD,
                        pointer,
                        "samples_%s.jsonl has no lines".formatted(entry.getKey())));
            }
            total += lines.size();
            parsed.put(entry.getKey(), lines);
        }
        if (total > MAX_LINES) {
            violations.add(new Violation(
                    ViolationKind.OUT_OF_RANGE,
                    "/samples",
                    "an import may hold at most %d sample lines, this one has %d".formatted(MAX_LINES, total)));
        }
        return parsed;
    }

    private static String text(
            JsonNode object, String field, String pointer, boolean required, List<Violation> violations) {
        JsonNode value = object.get(field);
        if (value == null
                || value.isNull()
                || (value.isString() && value.stringValue().isBlank())) {
            if (required) {
                violations.add(
                        new Violation(ViolationKind.MISSING_FIELD, pointer, "'%s' is required".formatted(field)));
            }
            return null;
        }
        if (!value.isString()) {
            violations.add(
                    new Violation(ViolationKind.INVALID_TYPE, pointer, "'%s' must be a string".formatted(field)));
            return null;
        }
        if (value.stringValue().length() > 200) {
            violations.add(new Violation(
                    ViolationKind.OUT_OF_RANGE, pointer, "'%s' may have at most 200 characters".formatted(field)));
            return null;
        }
        return value.stringValue();
    }

    private static Map<String, String> labels(JsonNode labels, List<Violation> violations) {
        if (labels == null || labels.isNull()) {
            return Map.of();
        }
        if (!labels.isObject()) {
            violations.add(new Violation(ViolationKind.INVALID_TYPE, "/labels", "'labels' must be an object"));
            return Map.of();
        }
        Map<String, String> parsed = new LinkedHashMap<>();
        for (var label : labels.properties()) {
            parsed.put(
                    label.getKey(),
                    label.getValue().isString() ? label.getValue().stringValue() : null);
        }
        Labels.validate(parsed, "/labels", violations);
        return parsed;
    }
}
