package ai.assay.reference.jinja;

import ai.assay.reference.python.PyJson;
import ai.assay.reference.python.PyRe;
import ai.assay.reference.python.PySlice;
import ai.assay.reference.python.PyStrftime;
import ai.assay.reference.python.PyValues;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/**
 * One Jinjava engine per {@link JinjaDialect}, set up as that dialect's Jinja2 environment: the Python-methods
 * resolver, Python's {@code str()} for printed values, the stepped-slice filter, and the dialect's own filters,
 * tests and functions. Jinjava's whitespace handling is off in both (see {@link Jinja2Source}), and nested
 * interpretation too: a value holding {@code {{ x }}} is data, never rendered again.
 *
 * <p>Thread-safe: everything here is registered once; renders share nothing mutable.
 */
final class JinjaEnvironment {

    /** The variable the TRANSFORMERS dialect's {@code strftime_now} reads the render's current time from. */
    static final String NOW_VARIABLE = "__assay_now";

    /** What {@code raise_exception} and {@code strftime_now} are as variables, so that "is defined" holds. */
    static final String FUNCTION_MARKER = "<function>";

    private final JinjaDialect dialect;
    private final Jinjava jinjava;

    /**
     * The parent of every render's context, one copy of the global context a thread. Jinjava's contexts record
     * the names a render resolved in every context above them; a parent shared between threads would be written
     * concurrently, and copying it for each render (as Jinjava's own render methods do) costs more than the
     * render of a task-file template.
     */
    private final ThreadLocal<Context> threadRoot;

    private JinjaEnvironment(JinjaDialect dialect) {
        this.dialect = dialect;
        this.jinjava = newJinjava(dialect);
        this.threadRoot = ThreadLocal.withInitial(jinjava::getGlobalContextCopy);
    }

    static JinjaEnvironment of(JinjaDialect dialect) {
        return dialect == JinjaDialect.LM_EVAL ? LmEval.ENVIRONMENT : Transformers.ENVIRONMENT;
    }

    // Holders, so that a process using one dialect never starts the other's engine (a second or so each).
    private static final class LmEval {
        static final JinjaEnvironment ENVIRONMENT = new JinjaEnvironment(JinjaDialect.LM_EVAL);
    }

    private static final class Transformers {
        static final JinjaEnvironment ENVIRONMENT = new JinjaEnvironment(JinjaDialect.TRANSFORMERS);
    }

    boolean hasFilter(String name) {
        return jinjava.getGlobalContext().getFilter(name) != null;
    }

    boolean hasTest(String name) {
        return jinjava.getGlobalContext().getExpTest(name) != null;
    }

    /** A fresh interpreter whose context holds the bindings (and, strict, makes unknown names undefined). */
    JinjavaInterpreter newInterpreter(Map<String, ?> bindings) {
        Context context = new Context(
                threadRoot.get(), bindings, jinjava.getGlobalConfig().getDisabled());
        if (dialect.strictUndefined()) {
            context.setDynamicVariableResolver(name -> new StrictUndefined("'" + name + "' is undefined"));
        }
        return new JinjavaInterpreter(jinjava, context, jinjava.getGlobalConfig());
    }

    private static Jinjava newJinjava(JinjaDialect dialect) {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethodsResolver(dialect.strictUndefined()));
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withKeepTrailingNewline(true)
                .withNestedInterpretationEnabled(false)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new IOException("templates cannot include or import other templates (" + name + ")");
        });
        jinjava.registerFunction(
                new ELFunctionDefinition("", Jinja2Source.STR_FUNCTION, Functions.method("str", Object.class)));
        jinjava.registerFilter(new SliceFilter());
        if (dialect == JinjaDialect.TRANSFORMERS) {
            jinjava.registerFunction(
                    new ELFunctionDefinition("", "raise_exception", Functions.method("raiseException", String.class)));
            jinjava.registerFunction(
                    new ELFunctionDefinition("", "strftime_now", Functions.method("strftimeNow", String.class)));
            jinjava.registerFilter(new ToJsonFilter());
            jinjava.registerFilter(new ItemsFilter());
            jinjava.registerTag(new GenerationTag());
        } else {
            jinjava.registerFilter(new RegexReplaceFilter());
            jinjava.registerFilter(new Jinja2ToJsonFilter());
            for (String name : List.of("default", "d")) {
                jinjava.registerFilter(
                        new StrictDefaultFilter(jinjava.getGlobalContext().getFilter(name)));
            }
            jinjava.registerExpTest(new DefinedTest("defined", true));
            jinjava.registerExpTest(new DefinedTest("undefined", false));
            jinjava.registerExpTest(new NoneTest());
            jinjava.getGlobalContext().put("none", PyValues.NONE);
            jinjava.getGlobalContext().put("None", PyValues.NONE);
        }
        return jinjava;
    }

    /** Functions the engine calls by reflection. */
    static final class Functions {

        private Functions() {}

        static Method method(String name, Class<?> parameter) {
            try {
                Method method = Functions.class.getDeclaredMethod(name, parameter);
                method.setAccessible(true);
                return method;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Python's str() of what a template prints. Jinjava's null stands for the lenient undefined as well as
         * none, and prints as nothing; objects that are no Python value print as their toString().
         */
        public static String str(Object value) {
            if (value instanceof StrictUndefined undefined) {
                throw undefined.failure();
            }
            return value == null ? "" : PyValues.str(value, String::valueOf);
        }

        /** transformers' {@code raise_exception}: jinja2's TemplateError with the template's message. */
        public static String raiseException(String message) {
            throw new JinjaException(JinjaException.Kind.RAISED, message);
        }

        /** transformers' {@code strftime_now}: {@code datetime.now().strftime(format)}. */
        public static String strftimeNow(String format) {
            Object now = JinjavaInterpreter.getCurrent().getContext().get(NOW_VARIABLE);
            return PyStrftime.format((ZonedDateTime) now, format);
        }
    }

    /**
     * A filter as Jinja2 calls one, with positional and keyword arguments; a strict undefined input fails, as any
     * use of an undefined value but {@code default} and {@code is defined} does in lm-eval's environment.
     */
    abstract static class ValueFilter implements Filter {

        private final String name;

        ValueFilter(String name) {
            this.name = name;
        }

        @Override
        public final String getName() {
            return name;
        }

        @Override
        public final Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }

        @Override
        public final Object filter(
                Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            if (var instanceof StrictUndefined undefined) {
                throw undefined.failure();
            }
            return apply(var, args, kwargs);
        }

        abstract Object apply(Object var, Object[] args, Map<String, Object> kwargs);
    }

    /** transformers' tojson: json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False). */
    static final class ToJsonFilter extends ValueFilter {

        ToJsonFilter() {
            super("tojson");
        }

        @Override
        Object apply(Object var, Object[] args, Map<String, Object> kwargs) {
            Object ensureAscii = argument(args, kwargs, 0, "ensure_ascii", Boolean.FALSE);
            Object indent = argument(args, kwargs, 1, "indent", null);
            Object separators = argument(args, kwargs, 2, "separators", null);
            Object sortKeys = argument(args, kwargs, 3, "sort_keys", Boolean.FALSE);
            String itemSeparator = null;
            String keySeparator = null;
            if (separators instanceof Collection<?> pair && pair.size() == 2) {
                List<?> both = new ArrayList<>(pair);
                itemSeparator = String.valueOf(both.get(0));
                keySeparator = String.valueOf(both.get(1));
            }
            return PyJson.dumps(
                    var,
                    Boolean.TRUE.equals(ensureAscii),
                    indent,
                    itemSeparator,
                    keySeparator,
                    Boolean.TRUE.equals(sortKeys));
        }
    }

    /**
     * Jinja2's own tojson, which lm-eval's environment keeps: {@code json.dumps(x, sort_keys=True)} (ASCII only)
     * with {@code < > & '} written as \\u escapes so that the text is safe in HTML.
     */
    static final class Jinja2ToJsonFilter extends ValueFilter {

        Jinja2ToJsonFilter() {
            super("tojson");
        }

        @Override
        Object apply(Object var, Object[] args, Map<String, Object> kwargs) {
            Object indent = argument(args, kwargs, 0, "indent", null);
            return PyJson.dumps(var, true, indent, null, null, true)
                    .replace("<", "\\u003c")
                    .replace(">", "\\u003e")
                    .replace("&", "\\u0026")
                    .replace("'", "\\u0027");
        }
    }

    private static Object argument(Object[] args, Map<String, Object> kwargs, int index, String name, Object fallback) {
        if (kwargs != null && kwargs.containsKey(name)) {
            return kwargs.get(name);
        }
        return args != null && index < args.length ? args[index] : fallback;
    }

    /** lm-eval's regex_replace: {@code re.sub(pattern, repl, string, count=count)}. */
    static final class RegexReplaceFilter extends ValueFilter {

        RegexReplaceFilter() {
            super("regex_replace");
        }

        @Override
        Object apply(Object var, Object[] args, Map<String, Object> kwargs) {
            Object pattern = argument(args, kwargs, 0, "pattern", null);
            Object repl = argument(args, kwargs, 1, "repl", null);
            Object count = argument(args, kwargs, 2, "count", 0L);
            if (!(var instanceof CharSequence)
                    || !(pattern instanceof CharSequence)
                    || !(repl instanceof CharSequence)) {
                throw new IllegalArgumentException("regex_replace takes a string, a pattern and a replacement");
            }
            if (!(count instanceof Number n)) {
                throw new IllegalArgumentException("regex_replace's count must be an integer");
            }
            return PyRe.sub(pattern.toString(), repl.toString(), var.toString(), n.intValue());
        }
    }

    /** Jinja2's default filter: an undefined value (strict ones too) gives the default. */
    static final class StrictDefaultFilter implements Filter {

        private final Filter jinjavaDefault;

        StrictDefaultFilter(Filter jinjavaDefault) {
            this.jinjavaDefault = jinjavaDefault;
        }

        @Override
        public String getName() {
            return jinjavaDefault.getName();
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return jinjavaDefault.filter(var instanceof StrictUndefined ? null : var, interpreter, args);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return jinjavaDefault.filter(var instanceof StrictUndefined ? null : var, interpreter, args, kwargs);
        }
    }

    /** Jinja2's {@code defined} and {@code undefined} tests, which are the uses a strict undefined allows. */
    static final class DefinedTest implements ExpTest {

        private final String name;
        private final boolean defined;

        DefinedTest(String name, boolean defined) {
            this.name = name;
            this.defined = defined;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            boolean isDefined = var != null && !(var instanceof StrictUndefined);
            return isDefined == defined;
        }
    }

    /** Jinja2's {@code none} test; a document's None is {@link PyValues#NONE}. */
    static final class NoneTest implements ExpTest {

        @Override
        public String getName() {
            return "none";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            if (var instanceof StrictUndefined undefined) {
                throw undefined.failure();
            }
            return var == null || var == PyValues.NONE;
        }
    }

    /** Python slicing with a step, which Jinja2Source rewrites {@code x[a:b:c]} to. */
    static final class SliceFilter extends ValueFilter {

        SliceFilter() {
            super(Jinja2Source.SLICE_FILTER);
        }

        @Override
        Object apply(Object var, Object[] args, Map<String, Object> kwargs) {
            Integer start = integer(args, 0);
            Integer stop = integer(args, 1);
            Integer step = integer(args, 2);
            if (var instanceof CharSequence text) {
                StringBuilder out = new StringBuilder();
                for (int i : PySlice.indices(text.length(), start, stop, step)) {
                    out.append(text.charAt(i));
                }
                return out.toString();
            }
            if (var instanceof Collection<?> collection) {
                List<?> items = new ArrayList<>(collection);
                List<Object> out = new ArrayList<>();
                for (int i : PySlice.indices(items.size(), start, stop, step)) {
                    out.add(items.get(i));
                }
                return out;
            }
            throw new IllegalArgumentException("cannot slice " + (var == null ? "none" : var.getClass()));
        }

        private static Integer integer(Object[] args, int index) {
            if (args == null || index >= args.length || args[index] == null || args[index] == PyValues.NONE) {
                return null;
            }
            return ((Number) args[index]).intValue();
        }
    }

    /** Jinja2 3.1's items filter: a mapping's (key, value) pairs, which a for loop unpacks. */
    static final class ItemsFilter implements Filter {

        @Override
        public String getName() {
            return "items";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var == null) {
                return List.of();
            }
            if (!(var instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(
                        "items expects a mapping, got " + var.getClass().getSimpleName());
            }
            return new ArrayList<>(map.entrySet());
        }
    }

    /** transformers' AssistantTracker block: outside of assistant-mask computation it renders its body. */
    static final class GenerationTag implements Tag {

        @Override
        public String getName() {
            return "generation";
        }

        @Override
        public String getEndTagName() {
            return "endgeneration";
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder out = new StringBuilder();
            for (Node child : tagNode.getChildren()) {
                out.append(child.render(interpreter).getValue());
            }
            return out.toString();
        }
    }
}
