package ai.assay.reference.alpacaeval.judging;

import ai.assay.reference.python.PyStrings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A judge prompt template with alpaca_eval's placeholders {@code {instruction}}, {@code {output_1}} (the output shown
 * first) and {@code {output_2}} (shown second), rendered as alpaca_eval's {@code make_prompts} does for one example
 * per prompt: placeholders are found with the pattern {@code {([^ \s]+?)}} and, in the order they first appear, the
 * first occurrence of each is replaced by its value. (So an instruction that itself contains {@code {output_1}} has
 * that text replaced, as upstream does; the prompts stay identical to upstream's.)
 */
public final class PromptTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^ \\s]+?)}", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Set<String> FIELDS = Set.of("instruction", "output_1", "output_2");

    private final String text;
    private final List<String> placeholders;

    private PromptTemplate(String text, List<String> placeholders) {
        this.text = text;
        this.placeholders = placeholders;
    }

    /** @throws IllegalArgumentException if a placeholder is unknown, repeated, or an output placeholder is missing */
    public static PromptTemplate of(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            counts.merge(matcher.group(1), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> placeholder : counts.entrySet()) {
            if (!FIELDS.contains(placeholder.getKey())) {
                throw new IllegalArgumentException("the prompt template has the placeholder {" + placeholder.getKey()
                        + "}; only {instruction}, {output_1} and {output_2} are filled in");
            }
            if (placeholder.getValue() != 1) {
                throw new IllegalArgumentException("the prompt template has {" + placeholder.getKey() + "} "
                        + placeholder.getValue() + " times; with batch_size 1 each placeholder appears once");
            }
        }
        if (!counts.containsKey("output_1") || !counts.containsKey("output_2")) {
            throw new IllegalArgumentException("the prompt template lacks {output_1} or {output_2}");
        }
        return new PromptTemplate(text, List.copyOf(counts.keySet()));
    }

    public String text() {
        return text;
    }

    /** The prompt for one example, in the order shown to the judge. */
    public String render(String instruction, String shownFirst, String shownSecond) {
        String prompt = text;
        for (String placeholder : placeholders) {
            String value = switch (placeholder) {
                case "instruction" -> instruction;
                case "output_1" -> shownFirst;
                default -> shownSecond;
            };
            prompt = PyStrings.replace(prompt, "{" + placeholder + "}", value, 1);
        }
        return prompt;
    }

    /**
     * alpaca_eval's {@code prompt_to_chatml}: ChatML-style text ({@code <|im_start|>role\ncontent<|im_end|>} blocks)
     * as chat messages. A role {@code system name=x} becomes a system message with the name x.
     *
     * @throws IllegalArgumentException if the text is not ChatML-style
     */
    public static List<PromptMessage> toChatMessages(String prompt) {
        String start = "<|im_start|>";
        String end = "<|im_end|>";
        String text = PyStrings.strip(prompt);
        if (!text.startsWith(start) || !text.endsWith(end)) {
            throw new IllegalArgumentException("a chat prompt must start with " + start + " and end with " + end);
        }
        List<PromptMessage> messages = new ArrayList<>();
        String[] blocks = text.split(Pattern.quote(start), -1);
        for (int i = 1; i < blocks.length; i++) {
            String block = blocks[i];
            int newline = block.indexOf('\n');
            if (newline < 0) {
                throw new IllegalArgumentException("a ChatML block has no newline after its role");
            }
            String role = PyStrings.strip(block.substring(0, newline));
            String body = block.substring(newline + 1);
            int close = body.indexOf(end);
            String content = PyStrings.strip(close < 0 ? body : body.substring(0, close));
            String name = null;
            if (role.startsWith("system") && !role.equals("system")) {
                for (String part : role.substring("system".length()).split(" ")) {
                    int equals = part.indexOf('=');
                    if (!part.isEmpty()
                            && equals >= 0
                            && part.substring(0, equals).equals("name")) {
                        name = part.substring(equals + 1);
                    } else if (!part.isEmpty()) {
                        throw new IllegalArgumentException("unsupported ChatML role attribute '" + part + "'");
                    }
                }
                role = "system";
            }
            messages.add(new PromptMessage(role, content, name));
        }
        return messages;
    }
}
