package ai.assay.worker.lmeval;

import ai.assay.worker.outbound.SubmittedResources;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Responses to a generation task made elsewhere (the option {@code outputs}), by task and document: Assay's
 * {@code {"doc_id", "response"|"responses"}} records or lm-eval's samples records ({@code resps}), given inline or
 * read from a URI as a JSON array or JSON Lines. lm-eval writes a samples line per document and filter, all with
 * the same {@code resps}: repeated lines of one document are taken once, and lines that disagree are refused.
 * Errors name the record, never quote what a file held.
 */
final class ProvidedResponses {

    private static final String WHAT = "the responses";

    private final Map<String, List<String>> byDocument;

    private ProvidedResponses(Map<String, List<String>> byDocument) {
        this.byDocument = byDocument;
    }

    /**
     * @param singleTask the task the records answer when they name none (a task run alone); null for a group,
     *                   whose records must name their subtask
     */
    static ProvidedResponses read(JsonNode option, SubmittedResources resources, JsonMapper mapper, String singleTask) {
        List<JsonNode> records =
                option.isString() ? fetch(URI.create(option.stringValue()), resources, mapper) : list(option);
        Map<String, List<String>> byDocument = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            if (!record.isObject()
                    || !record.path("doc_id").canConvertToInt()
                    || record.path("doc_id").intValue() < 0) {
                throw new IllegalArgumentException("response record %d has no document number 'doc_id'".formatted(i));
            }
            String task = record.path("task").isString() ? record.get("task").stringValue() : singleTask;
            if (task == null) {
                throw new IllegalArgumentException(
                        "response record %d names no 'task', which a group's records must (its subtask)".formatted(i));
            }
            List<String> responses = responsesOf(record, i);
            String key = key(task, record.get("doc_id").intValue());
            List<String> before = byDocument.putIfAbsent(key, responses);
            if (before != null && !before.equals(responses)) {
                throw new IllegalArgumentException("response record %d gives document %d of %s other responses than"
                                .formatted(i, record.get("doc_id").intValue(), task)
                        + " an earlier record");
            }
        }
        return new ProvidedResponses(byDocument);
    }

    /** The responses of a document, one per repeat. */
    Optional<List<String>> of(String task, int docId) {
        return Optional.ofNullable(byDocument.get(key(task, docId)));
    }

    /** Whether any record answers a document of {@code task} numbered {@code docCount} or higher. */
    List<Integer> unknownDocuments(String task, int docCount) {
        List<Integer> unknown = new ArrayList<>();
        String prefix = task + "\u0000";
        byDocument.keySet().forEach(key -> {
            if (key.startsWith(prefix)) {
                int docId = Integer.parseInt(key.substring(prefix.length()));
                if (docId >= docCount) {
                    unknown.add(docId);
                }
            }
        });
        unknown.sort(Integer::compare);
        return unknown;
    }

    /** The tasks the records name. */
    List<String> tasks() {
        return byDocument.keySet().stream()
                .map(key -> key.substring(0, key.indexOf('\u0000')))
                .distinct()
                .sorted()
                .toList();
    }

    private static String key(String task, int docId) {
        return task + "\u0000" + docId;
    }

    private static List<String> responsesOf(JsonNode record, int i) {
        JsonNode values;
        if (record.has("response")) {
            if (!record.get("response").isString()) {
                throw new IllegalArgumentException("response record %d: 'response' is not a string".formatted(i));
            }
            return List.of(record.get("response").stringValue());
        } else if (record.has("responses")) {
            values = record.get("responses");
        } else if (record.has("resps")
                && record.get("resps").isArray()
                && record.get("resps").size() == 1) {
            values = record.get("resps").get(0);
        } else {
            throw new IllegalArgumentException(
                    "response record %d has none of 'response', 'responses' or lm-eval's 'resps' [[...]]".formatted(i));
        }
        List<String> responses = new ArrayList<>();
        for (JsonNode value : values) {
            if (!value.isString()) {
                throw new IllegalArgumentException(
                        "response record %d holds a response that is not a string".formatted(i));
            }
            responses.add(value.stringValue());
        }
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("response record %d holds no response".formatted(i));
        }
        return responses;
    }

    private static List<JsonNode> fetch(URI uri, SubmittedResources resources, JsonMapper mapper) {
        String text = new String(resources.read(uri, WHAT), StandardCharsets.UTF_8);
        String trimmed = text.strip();
        if (trimmed.startsWith("[")) {
            return list(parse(trimmed, uri, 0, mapper));
        }
        List<JsonNode> records = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int line = 0; line < lines.length; line++) {
            if (!lines[line].isBlank()) {
                records.add(parse(lines[line], uri, line + 1, mapper));
            }
        }
        return records;
    }

    /** Parses without echoing: a JSON error gives its position only, since the file is the submitter's. */
    private static JsonNode parse(String json, URI uri, int line, JsonMapper mapper) {
        try {
            return mapper.readTree(json);
        } catch (JacksonException e) {
            String where = line > 0
                    ? "line %d".formatted(line)
                    : "position %s"
                            .formatted(
                                    e.getLocation() == null
                                            ? "?"
                                            : e.getLocation().getLineNr() + ":"
                                                    + e.getLocation().getColumnNr());
            throw new IllegalStateException("the responses at %s are not valid JSON (%s)".formatted(uri, where));
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("the responses are not a JSON array of records");
        }
        List<JsonNode> records = new ArrayList<>();
        array.forEach(records::add);
        return records;
    }
}
