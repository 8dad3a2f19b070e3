package ai.assay.worker.engine.prompt;

import ai.assay.reference.jinja.Jinja2Source;
import ai.assay.reference.jinja.PythonMethodsResolver;
import ai.assay.reference.python.PyJson;
import ai.assay.reference.python.PySlice;
import ai.assay.reference.python.PyStrftime;
import ai.assay.reference.python.PyStrings;
import ai.assay.reference.python.PyValues;
import ai.assay.worker.engine.ChatMessage;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jinjava.javax.el.CompositeELResolver;

/**
 * A Hugging Face chat template (Jinja2), rendered as transformers' {@code apply_chat_template(..., tokenize=False)}
 * renders it.
 *
 * <p>What the template sees: {@code messages} (a list of {role, content}), {@code add_generation_prompt},
 * {@code tools} and {@code documents} (none), every special token string the tokenizer configuration sets
 * ({@code bos_token}, {@code eos_token}, {@code pad_token}, ... and {@code additional_special_tokens}), the
 * functions {@code raise_exception(message)} and {@code strftime_now(format)}, the {@code tojson} filter as
 * transformers defines it (Python's json.dumps with ensure_ascii off), Python string methods, loop controls,
 * {@code namespace()}, and the {@code {% generation %}} block (rendered as its body).
 *
 * <p>The template is translated once (see {@link Jinja2Source}) and trial-rendered when it is created, so a
 * template this renderer cannot handle fails at model load rather than at the first prompt.
 *
 * <p>Printed values follow Python's {@code str()} (True, ['a', None], 2.5). Known gaps against Jinja2, none of
 * which the templates of the common model families hit: none prints as nothing (Jinjava cannot tell it from
 * undefined) and a variable set to none is not "defined"; {@code 'ab' * 3} is refused; {@code a and b} gives a
 * boolean rather than an operand; {@code loop.previtem}/{@code loop.nextitem} do not exist; where Jinja2 raises
 * on undefined attributes or {@code 'a' + 1}, this renderer is lenient. Line numbers in errors count lines of the
 * translated source.
 *
 * <p>Thread-safe: renders share nothing mutable.
 */
public final class ChatTemplate {

    private static final String NOW_VARIABLE = "__assay_now";

    private final String source;
    private final String translated;
    private final Map<String, Object> specialTokenVariables;
    private final Clock clock;
    private final Jinjava jinjava;

    private ChatTemplate(String source, String translated, Map<String, Object> specialTokenVariables, Clock clock) {
        this.source = source;
        this.translated = translated;
        this.specialTokenVariables = specialTokenVariables;
        this.clock = clock;
        this.jinjava = newJinjava();
    }

    /**
     * @throws ChatTemplateException when the template is missing, malformed, or fails to render a one-message
     *                               conversation for a reason other than its own {@code raise_exception}
     */
    public static ChatTemplate of(String template, TokenizerConfig config) {
        return of(template, config, Clock.systemDefaultZone());
    }

    /** As {@link #of(String, TokenizerConfig)}, with the clock {@code strftime_now} reads (local time). */
    public static ChatTemplate of(String template, TokenizerConfig config, Clock clock) {
        if (template == null || template.isBlank()) {
            throw new ChatTemplateException(
                    "No chat template: the model's tokenizer_config.json has none and " + "none was given", false);
        }
        Jinja2Source.Translation translated;
        try {
            translated = Jinja2Source.toJinjava(template);
        } catch (IllegalArgumentException e) {
            throw new ChatTemplateException("Malformed chat template: " + e.getMessage(), e);
        }
        Map<String, Object> specials = new LinkedHashMap<>(config.specialTokens());
        specials.put("additional_special_tokens", config.additionalSpecialTokens());
        ChatTemplate chatTemplate = new ChatTemplate(template, translated.source(), Map.copyOf(specials), clock);
        chatTemplate.checkNames(translated);
        chatTemplate.trialRender();
        return chatTemplate;
    }

    /** The template as given (Jinja2 source). */
    public String source() {
        return source;
    }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, false, Map.of());
    }

    /**
     * @param continueFinalMessage transformers' {@code continue_final_message}: cut the render right after the last
     *                             message's content, so the model continues it (a prefill); excludes
     *                             {@code addGenerationPrompt}
     * @param variables            extra template variables (transformers' template kwargs, e.g.
     *                             {@code enable_thinking}); they override the special tokens
     * @throws ChatTemplateException when the template raises or fails
     */
    public String render(
            List<ChatMessage> messages,
            boolean addGenerationPrompt,
            boolean continueFinalMessage,
            Map<String, ?> variables) {
        if (continueFinalMessage && addGenerationPrompt) {
            throw new IllegalArgumentException("continueFinalMessage and addGenerationPrompt exclude each other");
        }
        if (continueFinalMessage && messages.isEmpty()) {
            throw new IllegalArgumentException("continueFinalMessage needs a final message");
        }
        Map<String, Object> bindings = new HashMap<>(specialTokenVariables);
        bindings.putAll(variables);
        List<Map<String, Object>> chat = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("role", message.role());
            entry.put("content", message.content());
            chat.add(entry);
        }
        bindings.put("messages", chat);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.putIfAbsent("tools", null);
        bindings.putIfAbsent("documents", null);
        // Defined as variables too, so that "strftime_now is defined" holds as it does in transformers.
        bindings.put("strftime_now", Functions.MARKER);
        bindings.put("raise_exception", Functions.MARKER);
        bindings.put(NOW_VARIABLE, ZonedDateTime.now(clock));
        String rendered = renderTranslated(bindings);
        if (!continueFinalMessage) {
            return rendered;
        }
        String last =
                Objects.requireNonNullElse(messages.get(messages.size() - 1).content(), "");
        int at = rendered.lastIndexOf(last);
        if (at < 0) {
            // Templates that trim contents (Llama-3) hold the stripped text; transformers retries with it.
            last = PyStrings.strip(last);
            at = rendered.lastIndexOf(last);
        }
        if (at < 0) {
            throw new ChatTemplateException(
                    "continueFinalMessage: the final message does not appear in the " + "rendered chat", false);
        }
        return rendered.substring(0, at + last.length());
    }

    private String renderTranslated(Map<String, Object> bindings) {
        RenderResult result;
        try {
            result = jinjava.renderForResult(translated, bindings);
        } catch (RuntimeException e) {
            TemplateRaise raised = findRaise(e);
            if (raised != null) {
                throw new ChatTemplateException(raised.getMessage(), true);
            }
            throw new ChatTemplateException(e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        for (TemplateError error : result.getErrors()) {
            TemplateRaise raised = findRaise(error.getException());
            if (raised != null) {
                throw new ChatTemplateException(raised.getMessage(), true);
            }
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                problems.add(error.getMessage() + (error.getLineno() > 0 ? " (line " + error.getLineno() + ")" : ""));
            }
        }
        if (!problems.isEmpty()) {
            throw new ChatTemplateException(String.join("; ", problems), false);
        }
        return result.getOutput();
    }

    /** Jinjava renders an unknown filter or test as nothing; Jinja2 refuses the template. */
    private void checkNames(Jinja2Source.Translation names) {
        for (String filter : names.filters()) {
            if (jinjava.getGlobalContext().getFilter(filter) == null) {
                throw new ChatTemplateException(
                        "The chat template uses the filter '" + filter + "', which this renderer does not have", false);
            }
        }
        for (String test : names.tests()) {
            if (jinjava.getGlobalContext().getExpTest(test) == null) {
                throw new ChatTemplateException(
                        "The chat template uses the test '" + test + "', which this renderer does not have", false);
            }
        }
    }

    private void trialRender() {
        try {
            render(List.of(new ChatMessage("user", "Hello")), true);
        } catch (ChatTemplateException e) {
            if (!e.raisedByTemplate()) {
                throw new ChatTemplateException("The chat template fails on a one-message chat: " + e.getMessage(), e);
            }
        }
    }

    private static TemplateRaise findRaise(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TemplateRaise raise) {
                return raise;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static Jinjava newJinjava() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethodsResolver());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                // Whitespace control is already applied by Jinja2Source.
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withKeepTrailingNewline(true)
                // Message contents are data: "{{ x }}" inside a prompt must not be rendered again.
                .withNestedInterpretationEnabled(false)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new IOException("chat templates cannot include or import other templates (" + name + ")");
        });
        jinjava.registerFunction(new ELFunctionDefinition("", "raise_exception", Functions.method("raiseException")));
        jinjava.registerFunction(new ELFunctionDefinition("", "strftime_now", Functions.method("strftimeNow")));
        jinjava.registerFilter(new ToJsonFilter());
        jinjava.registerFilter(new SliceFilter());
        jinjava.registerFilter(new ItemsFilter());
        jinjava.registerFunction(
                new ELFunctionDefinition("", Jinja2Source.STR_FUNCTION, Functions.method("str", Object.class)));
        jinjava.registerTag(new GenerationTag());
        return jinjava;
    }

    /** What raise_exception throws; found again in the render's errors. */
    static final class TemplateRaise extends RuntimeException {
        TemplateRaise(String message) {
            super(message);
        }
    }

    /** The functions transformers adds to the template's globals. */
    static final class Functions {

        static final String MARKER = "<function>";

        private Functions() {}

        static Method method(String name) {
            return method(name, String.class);
        }

        static Method method(String name, Class<?> parameter) {
            try {
                Method method = Functions.class.getDeclaredMethod(name, parameter);
                method.setAccessible(true);
                return method;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }

        public static String raiseException(String message) {
            throw new TemplateRaise(message);
        }

        /**
         * Python's str() of what a template prints. Jinjava's null stands for undefined as well as none, and prints
         * as nothing; objects that are no Python value print as their toString().
         */
        public static String str(Object value) {
            return value == null ? "" : PyValues.str(value, String::valueOf);
        }

        public static String strftimeNow(String format) {
            Object now = JinjavaInterpreter.getCurrent().getContext().get(NOW_VARIABLE);
            return PyStrftime.format((ZonedDateTime) now, format);
        }
    }

    /** transformers' tojson: json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False). */
    static final class ToJsonFilter implements Filter {

        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
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

        private static Object argument(
                Object[] args, Map<String, Object> kwargs, int index, String name, Object fallback) {
            if (kwargs != null && kwargs.containsKey(name)) {
                return kwargs.get(name);
            }
            return args != null && index < args.length ? args[index] : fallback;
        }
    }

    /** Python slicing with a step, which Jinja2Source rewrites {@code x[a:b:c]} to. */
    static final class SliceFilter implements Filter {

        @Override
        public String getName() {
            return Jinja2Source.SLICE_FILTER;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            throw new IllegalStateException("called with positional arguments only");
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
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
            if (args == null || index >= args.length || args[index] == null) {
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
