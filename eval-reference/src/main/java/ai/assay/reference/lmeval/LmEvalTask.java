package ai.assay.reference.lmeval;

import ai.assay.reference.jinja.JinjaDialect;
import ai.assay.reference.jinja.JinjaException;
import ai.assay.reference.jinja.JinjaTemplate;
import ai.assay.reference.lmeval.code.CodeTasks;
import ai.assay.reference.python.PyStrings;
import ai.assay.reference.python.PyValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A leaf lm-eval task ready to turn documents into text: {@code doc_to_text}, {@code doc_to_target},
 * {@code doc_to_choice} and the description, with lm-eval's rules for each kind of field (a column name is looked
 * up, a template is rendered, a rendered run of digits becomes an index when the task has choices, a rendered list
 * is read back as a list). The few-shot examples are rendered with {@code fewshot_config}'s fields
 * ({@link TaskConfig.FewshotConfig}), which default to the task's.
 */
public final class LmEvalTask {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** The metrics lm-eval computes without a task function, by output type, that Assay implements. */
    private static final Map<String, List<String>> BUILT_IN_METRICS = Map.of(
            TaskConfig.MULTIPLE_CHOICE, List.of("acc", "acc_norm", "exact_match"),
            TaskConfig.GENERATE_UNTIL, List.of("exact_match"));

    private final TaskConfig config;
    private final TaskFunctions.DocsFunction processDocs;
    private final Field text;
    private final Field target;
    private final Field choice;
    private final JinjaTemplate description;
    private final JinjaTemplate genPrefix;
    private final Field fewshotText;
    private final Field fewshotTarget;
    private final Field fewshotChoice;
    private final JinjaTemplate fewshotGenPrefix;
    private final List<Doc> fewshotSamples;
    private final TaskFunctions.ResultsFunction processResults;

    /**
     * Resolves the task's {@code !function}s and templates; a function without a Java implementation (in
     * {@code process_docs}, {@code doc_to_*}, {@code process_results}, {@code fewshot_config.samples} or a
     * metric's {@code aggregation}) refuses the task with a message that names it.
     */
    public LmEvalTask(TaskConfig config) {
        this.config = config;
        this.processDocs =
                config.processDocs() == null ? null : TaskFunctions.docs(config.directory(), config.processDocs());
        this.text = field(config.docToText());
        this.target = field(config.docToTarget());
        this.choice = field(config.docToChoice());
        this.description = JinjaTemplate.parse(config.description(), JinjaDialect.LM_EVAL);
        this.genPrefix = template(config.genPrefix());
        TaskConfig.FewshotConfig fewshot = config.fewshotConfig();
        this.fewshotText = sameSpec(fewshot.docToText(), config.docToText()) ? text : field(fewshot.docToText());
        this.fewshotTarget =
                sameSpec(fewshot.docToTarget(), config.docToTarget()) ? target : field(fewshot.docToTarget());
        this.fewshotChoice = fewshot.docToChoice() == null
                ? null
                : sameSpec(fewshot.docToChoice(), config.docToChoice()) ? choice : field(fewshot.docToChoice());
        this.fewshotGenPrefix = template(fewshot.genPrefix());
        if (fewshot.samplesFunction() != null) {
            throw new IllegalStateException("fewshot_config.samples: no Java implementation of !function %s:%s"
                    .formatted(config.directory(), fewshot.samplesFunction().key()));
        }
        this.fewshotSamples = fewshot.samples() == null
                ? null
                : fewshot.samples().stream()
                        .map(sample -> Doc.of((ObjectNode) MAPPER.valueToTree(sample)))
                        .toList();
        boolean scoredFromText = config.generative()
                && config.processResults() != null
                && TaskFunctions.isGenerationResults(config.directory(), config.processResults());
        this.processResults = config.processResults() == null || scoredFromText
                ? null
                : TaskFunctions.results(config.directory(), config.processResults());
        for (MetricSpec metric : config.metrics()) {
            boolean codeMetric = config.generative()
                    && metric.function() != null
                    && CodeTasks.isMetric(config.directory(), metric.function());
            if (metric.function() != null && !codeMetric) {
                throw new IllegalStateException("metric: no Java implementation of !function %s:%s"
                        .formatted(config.directory(), metric.function().key()));
            }
            if (processResults == null
                    && !scoredFromText
                    && !codeMetric
                    && !BUILT_IN_METRICS.get(config.outputType()).contains(metric.metric())) {
                throw new IllegalStateException(
                        "metric '%s' is not supported for %s".formatted(metric.metric(), config.outputType()));
            }
            if (metric.aggregationFunction() != null
                    && !(scoredFromText
                            && TaskFunctions.isAggregation(config.directory(), metric.aggregationFunction()))) {
                throw new IllegalStateException("metric '%s': no Java implementation of aggregation !function %s:%s"
                        .formatted(
                                metric.metric(),
                                config.directory(),
                                metric.aggregationFunction().key()));
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
        return choices(choice.evaluateChoices(doc));
    }

    private static List<String> choices(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new JinjaException(
                    JinjaException.Kind.FAILED, "doc_to_choice must give a list, gave " + PyValues.repr(value));
        }
        return list.stream().map(PyValues::str).toList();
    }

    /**
     * The description for the document: lm-eval's {@code resolve_field}, the column of that name if the document
     * has one, else the description rendered as a template.
     */
    public String description(Doc doc) {
        String spec = config.description();
        if (spec.isEmpty()) {
            return "";
        }
        if (doc.values().containsKey(spec)) {
            return PyValues.str(doc.values().get(spec));
        }
        return description.isPlainText() ? spec : description.render(doc.values());
    }

    /**
     * {@code gen_prefix} for the evaluated document ({@code doc_to_prefix}: the column of that name, else the
     * template rendered), or null when the task has none.
     */
    public String genPrefix(Doc doc) {
        return resolve(config.genPrefix(), genPrefix, doc);
    }

    /** {@code doc_to_text} of a few-shot example, with {@code fewshot_config.doc_to_text}. */
    public Object fewshotDocToText(Doc doc) {
        return fewshotText.evaluate(doc, true);
    }

    /** {@code doc_to_target} of a few-shot example, with {@code fewshot_config.doc_to_target}. */
    public Object fewshotDocToTarget(Doc doc) {
        return fewshotTarget.evaluate(doc, false);
    }

    /**
     * The choices of a few-shot example, with {@code fewshot_config.doc_to_choice}; null when that is unset
     * (lm-eval then writes a target index as it is).
     */
    public List<String> fewshotDocToChoice(Doc doc) {
        return fewshotChoice == null ? null : choices(fewshotChoice.evaluateChoices(doc));
    }

    /**
     * {@code gen_prefix} of a few-shot example: {@code resolve_field(doc, fewshot_config.gen_prefix)}, null when
     * unset or empty.
     */
    public String fewshotGenPrefix(Doc doc) {
        String spec = config.fewshotConfig().genPrefix();
        return spec == null || spec.isEmpty() ? null : resolve(spec, fewshotGenPrefix, doc);
    }

    /**
     * The few-shot pool when {@code fewshot_config.samples} gives it ({@link TaskConfig#fewshotFromSamples()}):
     * the samples as documents, in order (lm-eval applies no {@code process_docs} to them); else null.
     */
    public List<Doc> fewshotSamples() {
        return config.fewshotFromSamples() ? fewshotSamples : null;
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

    private static boolean sameSpec(Object a, Object b) {
        return Objects.equals(a, b);
    }

    private static JinjaTemplate template(String spec) {
        return spec == null ? null : JinjaTemplate.parse(spec, JinjaDialect.LM_EVAL);
    }

    private static String resolve(String spec, JinjaTemplate template, Doc doc) {
        if (spec == null) {
            return null;
        }
        if (doc.values().containsKey(spec)) {
            return PyValues.str(doc.values().get(spec));
        }
        return template.isPlainText() ? spec : template.render(doc.values());
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
