package ai.assay.core.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Finds text in a request body that PostgreSQL cannot store as it was sent: the NUL character, which a {@code text}
 * or {@code jsonb} value cannot hold (the insert fails), and a lone UTF-16 surrogate (JSON's {@code "\ud800"}),
 * which has no UTF-8 form and would be stored as {@code ?}. Both are refused at the door so that what is stored is
 * what was sent. Field names are checked as well as values; a bad name is reported at its object's pointer.
 */
public final class StorableText {

    private StorableText() {}

    /** One violation per string (or field name) that cannot be stored, in document order. */
    public static List<Violation> violations(JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        walk(body, "", violations);
        return violations;
    }

    private static void walk(JsonNode node, String pointer, List<Violation> violations) {
        if (node.isString()) {
            problem(node.stringValue())
                    .ifPresent(reason -> violations.add(invalid(pointer, "this text %s".formatted(reason))));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), JsonPointers.child(pointer, i), violations);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                var reason = problem(field.getKey());
                if (reason.isPresent()) {
                    violations.add(invalid(pointer, "a field name %s".formatted(reason.get())));
                    continue;
                }
                walk(field.getValue(), JsonPointers.child(pointer, field.getKey()), violations);
            }
        }
    }

    private static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (codePoint == 0) {
                return Optional.of("holds the NUL character (\\u0000), which cannot be stored");
            }
            // codePointAt pairs a high and a low surrogate; one left on its own comes back as itself
            if (Character.getType(codePoint) == Character.SURROGATE) {
                return Optional.of(
                        "holds a lone UTF-16 surrogate (\\u%04x), which is not a character".formatted(codePoint));
            }
            i += Character.charCount(codePoint);
        }
        return Optional.empty();
    }

    private static Violation invalid(String pointer, String detail) {
        return new Violation(ViolationKind.INVALID_VALUE, pointer, detail);
    }
}
