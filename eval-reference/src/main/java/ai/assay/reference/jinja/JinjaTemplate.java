package ai.assay.reference.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.objects.collections.PyMap;
import com.hubspot.jinjava.tree.Node;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Jinja2 template compiled once for a {@link JinjaDialect} and rendered as that dialect's upstream environment
 * renders it: the one entry point for every Jinja template Assay renders.
 *
 * <p>The source is translated to Jinjava's syntax (see {@link Jinja2Source}) and parsed once; each render runs the
 * parsed tree against its variables. Filters and tests the dialect lacks are refused here, as Jinja2 refuses them
 * when it compiles the template, rather than rendered as nothing as Jinjava would.
 *
 * <p>Thread-safe: renders share nothing mutable.
 */
public final class JinjaTemplate {

    private final String source;
    private final JinjaDialect dialect;
    private final Clock clock;
    private final JinjaEnvironment environment;
    private final Jinja2Source.Translation translation;
    private final Node tree;

    private JinjaTemplate(
            String source,
            JinjaDialect dialect,
            Clock clock,
            JinjaEnvironment environment,
            Jinja2Source.Translation translation,
            Node tree) {
        this.source = source;
        this.dialect = dialect;
        this.clock = clock;
        this.environment = environment;
        this.translation = translation;
        this.tree = tree;
    }

    /** As {@link #parse(String, JinjaDialect, Clock)} with the system clock in the local time zone. */
    public static JinjaTemplate parse(String source, JinjaDialect dialect) {
        return parse(source, dialect, Clock.systemDefaultZone());
    }

    /**
     * @param clock what the TRANSFORMERS dialect's {@code strftime_now} reads (local time, as Python's
     *              {@code datetime.now()})
     * @throws JinjaException MALFORMED for a tag, comment, string or block never closed or a tag Jinjava cannot
     *                        parse, UNSUPPORTED for a filter or test the dialect does not have
     */
    public static JinjaTemplate parse(String source, JinjaDialect dialect, Clock clock) {
        Jinja2Source.Translation translation;
        try {
            translation = Jinja2Source.toJinjava(source, dialect);
        } catch (IllegalArgumentException e) {
            throw new JinjaException(JinjaException.Kind.MALFORMED, e.getMessage(), e);
        }
        JinjaEnvironment environment = JinjaEnvironment.of(dialect);
        for (String filter : translation.filters()) {
            if (!environment.hasFilter(filter)) {
                throw new JinjaException(
                        JinjaException.Kind.UNSUPPORTED,
                        "The template uses the filter '" + filter + "', which this renderer does not have");
            }
        }
        for (String test : translation.tests()) {
            if (!environment.hasTest(test)) {
                throw new JinjaException(
                        JinjaException.Kind.UNSUPPORTED,
                        "The template uses the test '" + test + "', which this renderer does not have");
            }
        }
        JinjavaInterpreter interpreter = environment.newInterpreter(Map.of());
        JinjavaInterpreter.pushCurrent(interpreter);
        Node tree;
        try {
            tree = interpreter.parse(translation.source());
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        List<String> problems = fatalProblems(interpreter.getErrors());
        if (!problems.isEmpty()) {
            throw new JinjaException(JinjaException.Kind.MALFORMED, String.join("; ", problems));
        }
        return new JinjaTemplate(source, dialect, clock, environment, translation, tree);
    }

    /** The template as given (Jinja2 source). */
    public String source() {
        return source;
    }

    public JinjaDialect dialect() {
        return dialect;
    }

    /** Whether the template is text only, with no tag, expression or comment. */
    public boolean isPlainText() {
        return translation.plainText();
    }

    /** Whether the template is one {@code {{ expression }}} and nothing else, so that {@link #value} applies. */
    public boolean isSingleExpression() {
        return translation.singleExpression() != null;
    }

    /**
     * The rendered text: every printed value is Python's {@code str()} of it.
     *
     * @throws JinjaException RAISED when the template calls {@code raise_exception}, UNDEFINED when (LM_EVAL) it
     *                        uses an undefined name or attribute, FAILED for any other failure
     */
    public String render(Map<String, ?> variables) {
        return interpret(variables, interpreter -> interpreter.render(tree, true));
    }

    /** Runs {@code step} on a fresh interpreter over the variables, with Jinjava's errors as JinjaExceptions. */
    private <T> T interpret(Map<String, ?> variables, Function<JinjavaInterpreter, T> step) {
        JinjavaInterpreter interpreter = environment.newInterpreter(bindings(variables));
        JinjavaInterpreter.pushCurrent(interpreter);
        T result;
        try {
            result = step.apply(interpreter);
        } catch (RuntimeException e) {
            JinjaException cause = findJinjaException(e);
            throw cause != null ? cause : new JinjaException(JinjaException.Kind.FAILED, e.getMessage(), e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        throwErrors(interpreter.getErrors());
        return result;
    }

    /**
     * The value of a template that is one expression, before it is printed: {@code {{choices.text}}} gives the
     * list itself, {@code {{label}}} a Long. lm-eval renders such a {@code doc_to_choice} and reads the text back
     * with {@code ast.literal_eval}, which gives the same value for the lists, strings and numbers documents hold.
     *
     * @throws IllegalStateException when the template is not {@link #isSingleExpression() one expression}
     * @throws JinjaException        as {@link #render} does
     */
    public Object value(Map<String, ?> variables) {
        if (!isSingleExpression()) {
            throw new IllegalStateException("not a single {{ expression }}: " + source);
        }
        Object value =
                interpret(variables, interpreter -> interpreter.resolveELExpression(translation.singleExpression(), 1));
        if (value instanceof StrictUndefined undefined) {
            throw undefined.failure();
        }
        // Jinjava wraps lists and dicts it hands out; the caller gets the plain value.
        if (value instanceof PyList list) {
            return list.toList();
        }
        if (value instanceof PyMap map) {
            return map.toMap();
        }
        return value;
    }

    private Map<String, Object> bindings(Map<String, ?> variables) {
        Map<String, Object> bindings = new HashMap<>(variables);
        if (dialect == JinjaDialect.TRANSFORMERS) {
            bindings.put("strftime_now", JinjaEnvironment.FUNCTION_MARKER);
            bindings.put("raise_exception", JinjaEnvironment.FUNCTION_MARKER);
            bindings.put(JinjaEnvironment.NOW_VARIABLE, ZonedDateTime.now(clock));
        }
        return bindings;
    }

    /**
     * Jinjava records most failures as errors beside the output instead of throwing. The template's own
     * {@code raise_exception} wins wherever it is recorded; then a failure of this package's own (a strict
     * undefined, a Python error); then the fatal errors.
     */
    private static void throwErrors(List<TemplateError> errors) {
        JinjaException own = null;
        for (TemplateError error : errors) {
            JinjaException cause = findJinjaException(error.getException());
            if (cause != null && cause.kind() == JinjaException.Kind.RAISED) {
                throw cause;
            }
            if (cause != null && own == null) {
                own = cause;
            }
        }
        if (own != null) {
            throw own;
        }
        List<String> problems = fatalProblems(errors);
        if (!problems.isEmpty()) {
            throw new JinjaException(JinjaException.Kind.FAILED, String.join("; ", problems));
        }
    }

    private static List<String> fatalProblems(List<TemplateError> errors) {
        List<String> problems = new ArrayList<>();
        for (TemplateError error : errors) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                problems.add(error.getMessage() + (error.getLineno() > 0 ? " (line " + error.getLineno() + ")" : ""));
            }
        }
        return problems;
    }

    private static JinjaException findJinjaException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof JinjaException found) {
                return found;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
