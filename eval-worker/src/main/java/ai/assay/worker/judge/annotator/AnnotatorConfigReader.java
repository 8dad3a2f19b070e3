package ai.assay.worker.judge.annotator;

import ai.assay.reference.alpacaeval.judging.LogprobParser;
import ai.assay.reference.alpacaeval.judging.PromptTemplate;
import ai.assay.reference.alpacaeval.judging.RankingParser;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads an alpaca_eval annotator config ({@code configs.yaml} schema) into an {@link Annotator}. Supported: one
 * annotator per file, {@code fn_completions: openai_completions} with a chat model, {@code batch_size: 1}, and the
 * parsers {@code logprob_parser}, {@code ranking_parser} and {@code regex_parser}. Anything else is refused with a
 * message saying what, rather than judged differently from upstream.
 */
public final class AnnotatorConfigReader {

    private static final Logger log = LoggerFactory.getLogger(AnnotatorConfigReader.class);

    /** Keys of an annotator config that change nothing for one example per prompt or are descriptive. */
    private static final Set<String> IGNORED_KEYS = Set.of(
            "pretty_name",
            "link",
            "is_shuffle",
            "seed",
            "is_store_raw_completions",
            "is_add_default_processors",
            "annotation_column");
    /** completions_kwargs that configure alpaca_eval's client rather than the request; never sent nor hashed. */
    private static final Set<String> CLIENT_KWARGS = Set.of(
            "num_procs",
            "batch_size",
            "is_skip_multi_tokens_to_avoid",
            "sleep_time",
            "client_config_path",
            "client_kwargs",
            "openai_organization_ids",
            "openai_api_keys",
            "openai_api_base",
            "n_retries");

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * @param name      the name asked for
     * @param yaml      the config text
     * @param source    where it came from, for messages
     * @param templates turns a {@code prompt_template} value into the template text (a path it resolves, or the
     *                  literal template); throws {@link AnnotatorConfigException} when it cannot
     */
    public Annotator read(String name, String yaml, String source, UnaryOperator<String> templates) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            throw new AnnotatorConfigException(
                    "annotator " + name + " (" + source + ") is not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new AnnotatorConfigException("annotator " + name + " (" + source + ") has no annotator in it");
        }
        if (root.size() > 1) {
            throw new AnnotatorConfigException("annotator " + name + " (" + source + ") is a pool of " + root.size()
                    + " annotators " + root.propertyNames() + "; only one annotator per config is supported");
        }
        String configKey = root.propertyNames().iterator().next();
        JsonNode config = root.get(configKey);
        try {
            return read(name, configKey, config, source, templates);
        } catch (IllegalArgumentException e) {
            throw new AnnotatorConfigException("annotator " + name + " (" + source + "): " + e.getMessage(), e);
        }
    }

    private Annotator read(
            String name, String configKey, JsonNode config, String source, UnaryOperator<String> templates) {
        if (!config.isObject()) {
            throw new IllegalArgumentException("the config of '" + configKey + "' is not a mapping");
        }
        Set<String> known = Set.of(
                "prompt_template",
                "fn_completions",
                "completions_kwargs",
                "fn_completion_parser",
                "completion_parser_kwargs",
                "completion_key",
                "batch_size",
                "is_randomize_output_order",
                "random_seed_column",
                "processors_to_kwargs");
        for (String key : config.propertyNames()) {
            if (!known.contains(key) && !IGNORED_KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "'");
            }
        }
        String fnCompletions = text(config, "fn_completions", "openai_completions");
        if (!fnCompletions.equals("openai_completions")) {
            throw new IllegalArgumentException("fn_completions '" + fnCompletions + "' is not supported; only"
                    + " openai_completions (any OpenAI-compatible API)");
        }
        int batchSize = config.path("batch_size").asInt(1);
        if (batchSize != 1) {
            throw new IllegalArgumentException("batch_size " + batchSize + " is not supported; only 1");
        }
        JsonNode processors = config.get("processors_to_kwargs");
        if (processors != null && !processors.isNull() && !processors.isEmpty()) {
            throw new IllegalArgumentException("processors_to_kwargs is not supported");
        }
        JsonNode seedColumn = config.get("random_seed_column");
        if (seedColumn != null
                && !seedColumn.isNull()
                && !(seedColumn.isArray()
                        && seedColumn.size() == 1
                        && "instruction".equals(seedColumn.get(0).asString()))
                && !"instruction".equals(seedColumn.asString())) {
            throw new IllegalArgumentException("random_seed_column must be the instruction");
        }
        boolean randomize = bool(config, "is_randomize_output_order", true);

        String templateValue = text(config, "prompt_template", null);
        if (templateValue == null) {
            throw new IllegalArgumentException("prompt_template is missing");
        }
        String templateText = templates.apply(templateValue);
        PromptTemplate template = PromptTemplate.of(templateText);

        JsonNode kwargs = config.path("completions_kwargs");
        String model = text(kwargs, "model_name", null);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("completions_kwargs.model_name is missing");
        }
        boolean strip = bool(kwargs, "is_strip", true);
        boolean chat = kwargs.has("requires_chatml") ? bool(kwargs, "requires_chatml", true) : requiresChatMl(model);
        chat = kwargs.has("is_chat") ? bool(kwargs, "is_chat", chat) : chat;
        if (!chat) {
            throw new IllegalArgumentException("model '" + model + "' would be called through the legacy completions"
                    + " API (alpaca_eval's rule for names with 'instruct', 'gpt-3' or 'text-'); only chat completions"
                    + " are supported: set completions_kwargs.requires_chatml: true if the model is a chat model");
        }
        for (String unsupported : List.of("tokens_to_favor", "tokens_to_avoid")) {
            if (kwargs.has(unsupported) && !kwargs.get(unsupported).isNull()) {
                throw new IllegalArgumentException("completions_kwargs." + unsupported + " is not supported (it needs"
                        + " the judge's tokenizer)");
            }
        }
        BigDecimal pricePerToken =
                kwargs.has("price_per_token") && !kwargs.get("price_per_token").isNull()
                        ? kwargs.get("price_per_token").decimalValue()
                        : null;
        ObjectNode params = requestParams(kwargs);

        String parserName = text(config, "fn_completion_parser", "regex_parser");
        PreferenceParser parser = parser(parserName, config.path("completion_parser_kwargs"));
        CompletionKey completionKey = CompletionKey.fromConfig(text(config, "completion_key", "completions"));
        if (completionKey != parser.input()) {
            throw new IllegalArgumentException(parserName + " reads completion_key '"
                    + parser.input().configValue() + "', the config has '" + completionKey.configValue() + "'");
        }
        String hash = configHash(model, templateText, params, strip);
        return new Annotator(
                name,
                configKey,
                source,
                template,
                model,
                params,
                strip,
                parser,
                completionKey,
                randomize,
                pricePerToken,
                hash);
    }

    /** The request fields, with alpaca_eval's defaults: max_tokens 2048, temperature 0.7, top_p 1.0. */
    private static ObjectNode requestParams(JsonNode kwargs) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("max_tokens", 2048);
        params.put("temperature", 0.7);
        params.put("top_p", 1.0);
        Set<String> local = Set.of(
                "model_name",
                "is_strip",
                "requires_chatml",
                "is_chat",
                "price_per_token",
                "tokens_to_favor",
                "tokens_to_avoid");
        for (Map.Entry<String, JsonNode> entry : kwargs.properties()) {
            String key = entry.getKey();
            if (local.contains(key)) {
                continue;
            }
            if (CLIENT_KWARGS.contains(key)) {
                log.debug("Ignoring completions_kwargs.{}: the worker's own client settings apply", key);
                continue;
            }
            if (entry.getValue().isNull()) {
                params.remove(key); // upstream sends max_tokens/top_p/temperature only when not None
            } else {
                params.set(key, entry.getValue());
            }
        }
        return params;
    }

    private static PreferenceParser parser(String name, JsonNode kwargs) {
        Set<String> allowed = switch (name) {
            case "logprob_parser" -> Set.of("numerator_token", "denominator_tokens", "is_binarize", "log_prob_index");
            case "ranking_parser" -> Set.of("model_1_name");
            case "regex_parser" -> Set.of("outputs_to_match");
            default ->
                throw new IllegalArgumentException("fn_completion_parser '" + name + "' is not supported;"
                        + " supported: logprob_parser, ranking_parser, regex_parser");
        };
        for (String key : kwargs.propertyNames()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(name + " has no argument '" + key + "'");
            }
        }
        switch (name) {
            case "logprob_parser": {
                String numerator = text(kwargs, "numerator_token", null);
                JsonNode denominators = kwargs.get("denominator_tokens");
                if (numerator == null || denominators == null || !denominators.isArray() || denominators.isEmpty()) {
                    throw new IllegalArgumentException("logprob_parser needs numerator_token and denominator_tokens");
                }
                List<String> tokens = new ArrayList<>();
                denominators.forEach(token -> tokens.add(token.asString()));
                JsonNode index = kwargs.get("log_prob_index");
                Integer position = index == null || index.isNull() || "batch".equals(index.asString())
                        ? null
                        : Integer.valueOf(index.asInt());
                return PreferenceParser.logprob(
                        new LogprobParser(numerator, tokens, bool(kwargs, "is_binarize", true), position));
            }
            case "ranking_parser":
                return PreferenceParser.ranking(new RankingParser(text(kwargs, "model_1_name", "model_1")));
            default: {
                JsonNode outputs = kwargs.get("outputs_to_match");
                if (outputs == null || !outputs.isObject() || outputs.isEmpty()) {
                    throw new IllegalArgumentException("regex_parser needs outputs_to_match");
                }
                Map<Double, String> patterns = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> entry : outputs.properties()) {
                    double preference;
                    try {
                        preference = Double.parseDouble(entry.getKey());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(
                                "regex_parser keys must be preferences, got '" + entry.getKey() + "'");
                    }
                    if (preference < 1 || preference > 2) {
                        throw new IllegalArgumentException(
                                "regex_parser preference " + entry.getKey() + " is outside [1, 2]");
                    }
                    patterns.put(preference, entry.getValue().asString());
                }
                return PreferenceParser.regex(patterns);
            }
        }
    }

    /** alpaca_eval's {@code _requires_chatml}: names that look like legacy completion models are not chat models. */
    static boolean requiresChatMl(String model) {
        boolean legacy = model.contains("instruct")
                || (model.contains("gpt-3") && !model.contains("turbo"))
                || model.startsWith("text-");
        return !legacy;
    }

    /**
     * SHA-256 (hex) of the canonical JSON of what the judge is asked: the API used, the model, the template text,
     * the request fields and whether the prompt is stripped. The parser is left out on purpose: cached raw
     * completions are parsed again on every read, so a parser change needs no new calls.
     */
    static String configHash(String model, String templateText, ObjectNode params, boolean strip) {
        ObjectNode identity = JsonNodeFactory.instance.objectNode();
        identity.put("fn_completions", "openai_completions/chat");
        identity.put("model", model);
        identity.put("prompt_template", templateText);
        identity.put("is_strip", strip);
        identity.set("request", params);
        return sha256Hex(JSON.writeValueAsString(sorted(identity)));
    }

    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String key : new TreeSet<>(node.propertyNames())) {
                out.set(key, sorted(node.get(key)));
            }
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isValueNode()) {
            throw new IllegalArgumentException(field + " must be a single value");
        }
        return value.asString();
    }

    private static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false, got '" + value.asString() + "'");
        }
        return value.booleanValue();
    }
}
