package ai.assay.worker.judge.annotator;

import ai.assay.reference.alpacaeval.judging.CompletionParsing;
import ai.assay.reference.alpacaeval.judging.PromptMessage;
import ai.assay.reference.alpacaeval.judging.PromptTemplate;
import ai.assay.reference.python.PyStrings;
import java.math.BigDecimal;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A judge as an alpaca_eval annotator config describes it (one top-level key of a {@code configs.yaml}).
 *
 * @param name                 the name it was asked for: the config directory's or YAML file's name
 * @param configKey            the config's top-level key (what alpaca_eval writes in its {@code annotator} column; the
 *                             HALOs configs use {@code alpaca_eval_gpt4} for both of theirs)
 * @param source               where the config was read from, for messages
 * @param model                {@code completions_kwargs.model_name}
 * @param requestParams        the other request fields sent to the chat-completions API (max_tokens, temperature,
 *                             top_p, logprobs, top_logprobs, ...), with alpaca_eval's defaults filled in
 * @param stripPrompt          {@code is_strip}: strip the rendered prompt before sending it
 * @param randomizeOutputOrder {@code is_randomize_output_order}
 * @param pricePerToken        {@code price_per_token} (USD per prompt or completion token), or null
 * @param configHash           SHA-256 of everything in the config that changes the judge's answer (model, template
 *                             text, request fields, prompt stripping); part of the judge-cache key
 */
public record Annotator(
        String name,
        String configKey,
        String source,
        PromptTemplate template,
        String model,
        ObjectNode requestParams,
        boolean stripPrompt,
        PreferenceParser parser,
        CompletionKey completionKey,
        boolean randomizeOutputOrder,
        BigDecimal pricePerToken,
        String configHash) {

    /** The chat messages for one example, outputs in the order shown to the judge. */
    public List<PromptMessage> messages(String instruction, String shownFirst, String shownSecond) {
        String prompt = template.render(instruction, shownFirst, shownSecond);
        return PromptTemplate.toChatMessages(stripPrompt ? PyStrings.strip(prompt) : prompt);
    }

    /**
     * The preference in the order shown to the judge (1 = first shown better), or null when the completion gives
     * none (upstream's rule: a parser error or a wrong number of values is no annotation).
     *
     * @param choice the OpenAI choice object with alpaca_eval's extra {@code text} field
     */
    public Double shownPreference(JsonNode choice) {
        JsonNode input = completionKey == CompletionKey.CHOICE
                ? choice
                : JsonNodeFactory.instance.stringNode(choice.path("text").asString(""));
        return CompletionParsing.orMissing(() -> parser.parse(input), 1).get(0);
    }

    @Override
    public String toString() {
        return "Annotator[" + name + " (" + configKey + ") from " + source + ", model " + model + ", " + parser.name()
                + "]";
    }
}
