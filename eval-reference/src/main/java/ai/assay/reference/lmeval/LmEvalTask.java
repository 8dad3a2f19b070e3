package ai.assay.reference.lmeval;

import ai.assay.reference.jinja.JinjaDialect;
import ai.assay.reference.jinja.JinjaException;
import ai.assay.reference.jinja.JinjaTemplate;
import ai.assay.reference.python.PyStrings;
import ai.assay.reference.python.PyValues;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A leaf lm-eval task ready to turn documents into text: {@code doc_to_text}, {@code doc_to_target},
 * {@code doc_to_choice} and the description, with lm-eval's rules for each kind of field (a column name is looked
 * up, a template is rendered, a rendered run of digits becomes an index when the task has choices, a rendered list
 * is read back as a list).
 */
public final class LmEvalTask {

    private final TaskConfig config;
    private final TaskFunctions.DocsFunction processDocs;
    private final Field text;
    private final Field target;
    private final Field choice;
    private final JinjaTemplate description;
    private final TaskFunctions.ResultsFunction processResults;

    public LmEvalTask(TaskConfig config) {
        this.config = config;
        this.processDocs =
                config.processDocs() == null ? null : TaskFunctions.docs(config.directory(), config.processDocs());
        this.text = field(config.docToText());
        this.target = field(config.docToTarget());
        this.choice = field(config.docToChoice());
        this.description = JinjaTemplate.parse(config.description(), JinjaDialect.LM_EVAL);
        this.processResults = config.processResults() == null
                ? null
                : TaskFunctions.results(config.directory(), config.processResults());
        for (MetricSpec metric : config.metrics()) {
            if (processResults == null
                    && !List.of("acc", "acc_norm", "exact_match").contains(metric.metric())) {
                throw new IllegalStateException(
                        "metric '%s' is not supported for multiple_choice".formatted(metric.metric()));
            }
        }
    }

    public TaskConfig config() {
        return config;
    }

    public String name() {
        return config.task();
    }

    /** The documents of a split: the rows after {@code process_docs}. */
    public List<Doc> docs(List<ObjectNode> rows) {
        List<ObjectNode> processed = processDocs == null ? rows : processDocs.apply(rows);
        return processed.stream().map(Doc::of).toList();
    }

    /** {@code doc_to_text}: a String, or a Long (an index into the choices, which makes the task multiple-input). */
    public Object docToText(Doc doc) {
        return text.evaluate(doc, true);
    }

    /** {@code doc_to_target}: a Long (choice index), a String or a List. */
    public Object docToTarget(Doc doc) {
        return target.evaluate(doc, false);
    }

    /** {@code doc_to_choice}. */
    public List<String> docToChoice(Doc doc) {
        Object value = choice.evaluateChoices(doc);
        if (!(value instanceof List<?> list)) {
            throw new JinjaException(
                    JinjaException.Kind.FAILED, "doc_to_choice must give a list, gave " + PyValues.repr(value));
        }
        return list.stream().map(PyValues::str).toList();
    }

    /** The description, rendered against the document (lm-eval renders it as a template). */
    public String description(Doc doc) {
        return description.isPlainText() ? config.description() : description.render(doc.values());
    }

    /** Whether {@code doc_to_text} gives an index: the choices are contexts and the target the continuation. */
    public boolean multipleInput(Doc doc) {
        return docToText(doc) instanceof Long;
    }

    /** The task's own {@code process_results}, or null for the multiple-choice default. */
    public TaskFunctions.ResultsFunction processResults() {
        return processResults;
    }

    public NumberKind numberKind() {
        return processResults == null ? NumberKind.PYTHON : processResults.kind();
    }

    private Field field(Object spec) {
        if (spec instanceof FunctionRef ref) {
            return new Field(spec, null, TaskFunctions.doc(config.directory(), ref));
        }
        if (spec instanceof String s) {
            return new Field(spec, JinjaTemplate.parse(s, JinjaDialect.LM_EVAL), null);
        }
        return new Field(spec, null, null);
    }

    /** One doc_to_* field and lm-eval's rule for evaluating it. */
    private final class Field {

        private final Object spec;
        private final JinjaTemplate template;
        private final TaskFunctions.DocFunction function;

        Field(Object spec, JinjaTemplate template, TaskFunctions.DocFunction function) {
            this.spec = spec;
            this.template = template;
            this.function = function;
        }

        Object evaluate(Doc doc, boolean isText) {
            if (function != null) {
                return function.apply(doc.values());
            }
            if (spec instanceof Long || spec instanceof List) {
                return spec;
            }
            String name = (String) spec;
            Map<String, Object> values = doc.values();
            if (values.containsKey(name)) {
                return values.get(name);
            }
            String rendered = template.render(values);
            if (PyStrings.isAsciiDigits(rendered) && config.docToChoice() != null) {
                return Long.parseLong(rendered);
            }
            if (!isText && rendered.length() >= 2 && rendered.startsWith("[") && rendered.endsWith("]")) {
                Object list = template.isSingleExpression() ? template.value(values) : null;
                if (list instanceof List) {
                    return list;
                }
            }
            return rendered;
        }

        Object evaluateChoices(Doc doc) {
            if (function != null) {
                return function.apply(doc.values());
            }
            if (spec instanceof List) {
                return spec;
            }
            String name = (String) spec;
            if (doc.values().containsKey(name)) {
                return doc.values().get(name);
            }
            if (!template.isSingleExpression()) {
                throw new JinjaException(
                        JinjaException.Kind.FAILED,
                        "doc_to_choice template %s must be a single {{ expression }} giving a list"
                                .formatted(PyStrings.repr(name)));
            }
            return template.value(doc.values());
        }
    }
}
