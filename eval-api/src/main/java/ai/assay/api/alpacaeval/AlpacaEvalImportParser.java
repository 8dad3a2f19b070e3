package ai.assay.api.alpacaeval;

import ai.assay.api.evaluation.Labels;
import ai.assay.api.problem.InvalidRequestException;
import ai.assay.core.alpacaeval.data.EvalSetEntry;
import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.StorableText;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks the body of {@code POST /imports/alpaca-eval}: {@code {"model", "annotator", "annotations": [records of
 * an alpaca_eval annotations.json], "labels", "replace"}}. Every bad record is named by its position; records may carry
 * alpaca_eval's other fields, which are ignored.
 */
final class AlpacaEvalImportParser {

    static final int MAX_ROWS = 10_000;
    private static final int MAX_REPORTED = 100;
    private static final Set<String> FIELDS = Set.of("model", "annotator", "annotations", "labels", "replace");

    /** Below the largest value of the {@code cost_usd numeric(12, 6)} column. */
    private static final double MAX_PRICE = 1e6;

    /** Below the largest {@code latency_ms integer}, in seconds. */
    private static final double MAX_SECONDS = Integer.MAX_VALUE / 1000.0;

    private AlpacaEvalImportParser() {}

    static AlpacaEvalImport parse(JsonNode body, List<EvalSetEntry> evalSet) {
        List<Violation> violations = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(List.of(new Violation(
                    ViolationKind.INVALID_TYPE,
                    "",
                    "the body must be a JSON object with 'model', 'annotator' and 'annotations'")));
        }
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
        String model = text(body, "model", "/model", violations);
        String annotator = text(body, "annotator", "/annotator", violations);
        Map<String, String> labels = labels(body.get("labels"), violations);
        JsonNode replace = body.get("replace");
        if (replace != null && !replace.isNull() && !replace.isBoolean()) {
            violations.add(new Violation(ViolationKind.INVALID_TYPE, "/replace", "'replace' must be true or false"));
        }
        List<AlpacaEvalImport.Record> rows = rows(body.get("annotations"), model, evalSet, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(
                    violations.size() > MAX_REPORTED ? violations.subList(0, MAX_REPORTED) : violations);
        }
        return new AlpacaEvalImport(model, annotator, labels, rows, replace != null && replace.asBoolean(false));
    }

    private static List<AlpacaEvalImport.Record> rows(
            JsonNode annotations, String model, List<EvalSetEntry> evalSet, List<Violation> violations) {
        if (annotations == null || annotations.isNull()) {
            violations.add(new Violation(
                    ViolationKind.MISSING_FIELD,
                    "/annotations",
                    "'annotations' is required: the records of an alpaca_eval annotations.json"));
            return List.of();
        }
        if (!annotations.isArray()) {
            violations.add(new Violation(ViolationKind.INVALID_TYPE, "/annotations", "'annotations' must be an array"));
            return List.of();
        }
        if (annotations.isEmpty() || annotations.size() > MAX_ROWS) {
            violations.add(new Violation(
                    annotations.isEmpty() ? ViolationKind.MISSING_FIELD : ViolationKind.OUT_OF_RANGE,
                    "/annotations",
                    "'annotations' must hold 1 to %d records".formatted(MAX_ROWS)));
            return List.of();
        }
        Map<String, Integer> indexOf = new HashMap<>();
        evalSet.forEach(entry -> indexOf.putIfAbsent(entry.instruction(), entry.index()));
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<AlpacaEvalImport.Record> rows = new ArrayList<>();
        for (int i = 0; i < annotations.size(); i++) {
            String pointer = JsonPointers.child("/annotations", i);
            JsonNode record = annotations.get(i);
            if (!record.isObject()) {
                violations.add(
                        new Violation(ViolationKind.INVALID_TYPE, pointer, "record %d must be an object".formatted(i)));
                continue;
            }
            int before = violations.size();
            String instruction = text(record, "instruction", pointer + "/instruction", violations);
            String output1 = text(record, "output_1", pointer + "/output_1", violations);
            String output2 = text(record, "output_2", pointer + "/output_2", violations);
            Double preference = preference(record.get("preference"), pointer + "/preference", violations);
            Integer index = null;
            if (instruction != null) {
                index = indexOf.get(instruction);
                if (index == null) {
                    violations.add(new Violation(
                            ViolationKind.INVALID_VALUE,
                            pointer + "/instruction",
                            "record %d: the instruction is not one of AlpacaEval's %d".formatted(i, evalSet.size())));
                } else if (seen.putIfAbsent(instruction, i) != null) {
                    violations.add(new Violation(
                            ViolationKind.INVALID_VALUE,
                            pointer + "/instruction",
                            "record %d repeats the instruction of record %d".formatted(i, seen.get(instruction))));
                }
            }
            if (violations.size() == before) {
                String generator1 = optionalText(record, "generator_1");
                JsonNode raw = record.has("preference_raw_completion")
                        ? record.get("preference_raw_completion")
                        : record.get("raw_completion");
                rows.add(new AlpacaEvalImport.Record(
                        index,
                        new HeadToHeadAnnotation(
                                instruction,
                                output1,
                                generator1 == null ? evalSet.get(index).generator() : generator1,
                                output2,
                                model,
                                preference,
                                raw == null || raw.isNull() ? null : raw),
                        raw == null || raw.isNull() ? null : raw,
                        storedNumber(
                                record,
                                pointer,
                                MAX_PRICE,
                                violations,
                                "preference_price_per_example",
                                "price_per_example"),
                        millis(storedNumber(
                                record,
                                pointer,
                                MAX_SECONDS,
                                violations,
                                "preference_time_per_example",
                                "time_per_example"))));
            }
        }
        if (!rows.isEmpty()
                && violations.isEmpty()
                && rows.stream().allMatch(row -> row.annotation().preference() == null)) {
            violations.add(new Violation(
                    ViolationKind.INVALID_VALUE,
                    "/annotations",
                    "no record has a preference, so there is no win rate to compute; an annotations.json whose"
                            + " judge failed on every record cannot be imported"));
        }
        return rows;
    }

    private static Double preference(JsonNode value, String pointer, List<Violation> violations) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            violations.add(new Violation(ViolationKind.INVALID_TYPE, pointer, "'preference' must be a number or null"));
            return null;
        }
        double preference = value.doubleValue();
        if (!(preference == 0 || (preference >= 1 && preference <= 2))) {
            violations.add(new Violation(
                    ViolationKind.OUT_OF_RANGE,
                    pointer,
                    "'preference' must be between 1 and 2 (or 0 for alpaca_eval's legacy tie), but was " + value));
            return null;
        }
        return preference;
    }

    private static String text(JsonNode object, String field, String pointer, List<Violation> violations) {
        JsonNode value = object.get(field);
        if (value == null
                || value.isNull()
                || (value.isString() && value.stringValue().isEmpty() && !field.startsWith("output"))) {
            violations.add(new Violation(ViolationKind.MISSING_FIELD, pointer, "'%s' is required".formatted(field)));
            return null;
        }
        if (!value.isString()) {
            violations.add(
                    new Violation(ViolationKind.INVALID_TYPE, pointer, "'%s' must be a string".formatted(field)));
            return null;
        }
        if ((field.equals("model") || field.equals("annotator"))
                && value.stringValue().length() > 200) {
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

    private static String optionalText(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    /**
     * The first of the fields that holds a number, checked against what its column holds: a cost is stored as
     * {@code numeric(12, 6)} dollars and a time as an {@code integer} of milliseconds, so a value beyond either (or
     * below zero) is refused rather than failing the insert or being stored clipped.
     */
    private static Double storedNumber(
            JsonNode record, String pointer, double max, List<Violation> violations, String... fields) {
        for (String field : fields) {
            JsonNode value = record.get(field);
            if (value != null && value.isNumber() && Double.isFinite(value.doubleValue())) {
                double number = value.doubleValue();
                if (!(number >= 0 && number < max)) {
                    violations.add(new Violation(
                            ViolationKind.OUT_OF_RANGE,
                            JsonPointers.child(pointer, field),
                            "'%s' must be at least 0 and below %s, but was %s".formatted(field, max, value)));
                    return null;
                }
                return number;
            }
        }
        return null;
    }

    private static Integer millis(Double seconds) {
        return seconds == null ? null : (int) Math.round(seconds * 1000);
    }
}
