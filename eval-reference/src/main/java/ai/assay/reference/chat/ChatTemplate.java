package ai.assay.reference.chat;

import ai.assay.reference.jinja.JinjaDialect;
import ai.assay.reference.jinja.JinjaException;
import ai.assay.reference.jinja.JinjaTemplate;
import ai.assay.reference.python.PyStrings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face chat template (Jinja2), rendered as transformers' {@code apply_chat_template(..., tokenize=False)}
 * renders it.
 *
 * <p>What the template sees: {@code messages} (a list of {role, content}), {@code add_generation_prompt},
 * {@code tools} and {@code documents} (none), every special token string the tokenizer configuration sets
 * ({@code bos_token}, {@code eos_token}, {@code pad_token}, ... and {@code additional_special_tokens}), and the
 * template kwargs a caller passes. The environment itself (trim_blocks, lstrip_blocks, {@code tojson},
 * {@code raise_exception}, {@code strftime_now}, Python string methods, the {@code {% generation %}} block) is
 * the {@link JinjaDialect#TRANSFORMERS} dialect of {@code ai.assay.reference.jinja}, whose package documentation
 * lists what differs from Jinja2.
 *
 * <p>The template is compiled once and trial-rendered when it is created, so a template this renderer cannot
 * handle fails at model load rather than at the first prompt.
 *
 * <p>Thread-safe: renders share nothing mutable.
 */
public final class ChatTemplate {

    private final JinjaTemplate template;
    private final Map<String, Object> specialTokenVariables;

    private ChatTemplate(JinjaTemplate template, Map<String, Object> specialTokenVariables) {
        this.template = template;
        this.specialTokenVariables = specialTokenVariables;
    }

    /**
     * @throws ChatTemplateException when the template is missing, malformed, or fails to render a one-message
     *                               conversation for a reason other than its own {@code raise_exception}
     */
    public static ChatTemplate of(
            String template, Map<String, String> specialTokens, List<String> additionalSpecialTokens) {
        return of(template, specialTokens, additionalSpecialTokens, Clock.systemDefaultZone());
    }

    /**
     * As {@link #of(String, Map, List)}, with the clock {@code strftime_now} reads (local time).
     *
     * @param specialTokens           the tokenizer configuration's special token strings by attribute
     *                                ({@code bos_token}, {@code eos_token}, ...)
     * @param additionalSpecialTokens its {@code additional_special_tokens}, in file order
     */
    public static ChatTemplate of(
            String template, Map<String, String> specialTokens, List<String> additionalSpecialTokens, Clock clock) {
        if (template == null || template.isBlank()) {
            throw new ChatTemplateException(
                    "No chat template: the model's tokenizer_config.json has none and " + "none was given", false);
        }
        JinjaTemplate compiled;
        try {
            compiled = JinjaTemplate.parse(template, JinjaDialect.TRANSFORMERS, clock);
        } catch (JinjaException e) {
            throw e.kind() == JinjaException.Kind.MALFORMED
                    ? new ChatTemplateException("Malformed chat template: " + e.getMessage(), e)
                    : new ChatTemplateException(e.getMessage(), e);
        }
        Map<String, Object> specials = new LinkedHashMap<>(specialTokens);
        specials.put("additional_special_tokens", List.copyOf(additionalSpecialTokens));
        ChatTemplate chatTemplate = new ChatTemplate(compiled, Map.copyOf(specials));
        chatTemplate.trialRender();
        return chatTemplate;
    }

    /** The template as given (Jinja2 source). */
    public String source() {
        return template.source();
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
        String rendered;
        try {
            rendered = template.render(bindings);
        } catch (JinjaException e) {
            throw e.kind() == JinjaException.Kind.RAISED
                    ? new ChatTemplateException(e.getMessage(), true)
                    : new ChatTemplateException(e.getMessage(), e);
        }
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

    private void trialRender() {
        try {
            render(List.of(new ChatMessage("user", "Hello")), true);
        } catch (ChatTemplateException e) {
            if (!e.raisedByTemplate()) {
                throw new ChatTemplateException("The chat template fails on a one-message chat: " + e.getMessage(), e);
            }
        }
    }
}
