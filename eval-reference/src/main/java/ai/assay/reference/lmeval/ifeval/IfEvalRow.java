package ai.assay.reference.lmeval.ifeval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A row of {@code google/IFEval} as lm-eval's {@code process_results} reads it: {@code key}, {@code prompt},
 * {@code instruction_id_list} and one {@code kwargs} map per instruction. Kwarg values are what Python's
 * {@code json} gives: {@code null}, {@link String}, {@link Long}, {@link Double}, {@link Boolean} or a {@link List}.
 */
public record IfEvalRow(long key, String prompt, List<String> instructionIds, List<Map<String, Object>> kwargs) {

    public IfEvalRow {
        instructionIds = List.copyOf(instructionIds);
        List<Map<String, Object>> copies = new ArrayList<>();
        for (Map<String, Object> map : kwargs) {
            copies.add(Collections.unmodifiableMap(new LinkedHashMap<>(map)));
        }
        kwargs = List.copyOf(copies);
        if (instructionIds.size() != kwargs.size()) {
            throw new IllegalArgumentException("%d instruction ids but %d kwargs maps in row %d"
                    .formatted(instructionIds.size(), kwargs.size(), key));
        }
    }

    /** A row as the dataset's JSON lines hold it. */
    public static IfEvalRow fromJson(JsonNode row) {
        List<String> ids = new ArrayList<>();
        row.get("instruction_id_list").forEach(id -> ids.add(id.stringValue()));
        List<Map<String, Object>> kwargs = new ArrayList<>();
        for (JsonNode map : row.get("kwargs")) {
            Map<String, Object> values = new LinkedHashMap<>();
            map.properties().forEach(entry -> values.put(entry.getKey(), value(entry.getValue())));
            kwargs.add(values);
        }
        JsonNode key = row.get("key");
        return new IfEvalRow(
                key == null || key.isNull() ? 0 : key.longValue(),
                row.get("prompt").stringValue(),
                ids,
                kwargs);
    }

    /**
     * A row as a document map: plain Java values, or the Python values of a {@code Doc} ({@code PyValues.NONE} for
     * null).
     */
    @SuppressWarnings("unchecked")
    public static IfEvalRow fromDocument(Map<String, ?> doc) {
        Object key = doc.get("key");
        return new IfEvalRow(
                key instanceof Number number ? number.longValue() : 0,
                (String) doc.get("prompt"),
                (List<String>) doc.get("instruction_id_list"),
                (List<Map<String, Object>>) doc.get("kwargs"));
    }

    private static Object value(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(value(element)));
            return list;
        }
        throw new IllegalArgumentException("an IFEval kwarg is never an object: " + node);
    }
}
