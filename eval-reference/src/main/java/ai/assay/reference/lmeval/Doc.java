package ai.assay.reference.lmeval;

import ai.assay.reference.python.PyValues;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One document of a task after {@code process_docs}: the JSON row (kept in its member order, which lm-eval's
 * {@code doc_hash} depends on) and the same row as Python values for templates and functions.
 */
public record Doc(ObjectNode json, Map<String, Object> values) {

    @SuppressWarnings("unchecked")
    public static Doc of(ObjectNode json) {
        return new Doc(json, (Map<String, Object>) PyValues.of(json));
    }

    /** Python's {@code doc == other} (dict equality), used to keep the evaluated doc out of its own shots. */
    public boolean sameAs(Doc other) {
        return PyValues.equal(values, other.values);
    }
}
