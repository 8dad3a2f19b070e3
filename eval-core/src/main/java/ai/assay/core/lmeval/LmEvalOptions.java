package ai.assay.core.lmeval;

import ai.assay.core.task.BooleanOption;
import ai.assay.core.task.GenerationResponsesOption;
import ai.assay.core.task.IntegerOption;
import ai.assay.core.task.NumberOption;
import ai.assay.core.task.ObjectOption;
import ai.assay.core.task.OptionSpec;
import ai.assay.core.task.OptionsRule;
import ai.assay.core.task.StringListOption;
import ai.assay.core.task.StringOption;
import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import ai.assay.reference.lmeval.ChatOptions;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The options of every lm-eval task, named after lm-eval's flags and model arguments, and their reading from a
 * stored task's options.
 *
 * @param numFewshot  {@code --num_fewshot} (tasks fixed at 0 shots do not offer it)
 * @param limit       {@code --limit}: the first N documents of each task; null for all
 * @param fewshotSeed the fourth number of {@code --seed} (default 1234)
 * @param addBosToken the HF backend's {@code add_bos_token}: null keeps the tokenizer's default (lm-eval 0.4.9.2+)
 * @param maxLength   the HF backend's {@code max_length}: null takes the model's
 * @param batchSize   how many requests go to the engine at a time (a document's requests are never split)
 * @param generation  the option {@code generation} of a generation task as stored (null for other tasks); read it
 *                    with {@link #generationSettings}
 * @param outputs     responses made elsewhere, to score instead of generating (null when the model generates)
 * @param applyChatTemplate  {@code --apply_chat_template}: the prompt as chat messages rendered by the model's own
 *                           chat template
 * @param fewshotAsMultiturn {@code --fewshot_as_multiturn}: the few-shot examples as alternating user and
 *                           assistant turns; refused without {@code applyChatTemplate}, as lm-eval refuses it
 * @param systemInstruction  {@code --system_instruction}, or null for none
 */
public record LmEvalOptions(
        int numFewshot,
        Integer limit,
        long fewshotSeed,
        Boolean addBosToken,
        Integer maxLength,
        int batchSize,
        JsonNode generation,
        JsonNode outputs,
        boolean applyChatTemplate,
        boolean fewshotAsMultiturn,
        String systemInstruction) {

    public static final String NUM_FEWSHOT = "numFewshot";
    public static final String LIMIT = "limit";
    public static final String FEWSHOT_SEED = "fewshotSeed";
    public static final String ADD_BOS_TOKEN = "addBosToken";
    public static final String MAX_LENGTH = "maxLength";
    public static final String BATCH_SIZE = "batchSize";
    public static final String GENERATION = "generation";
    public static final String OUTPUTS = "outputs";
    public static final String APPLY_CHAT_TEMPLATE = "applyChatTemplate";
    public static final String FEWSHOT_AS_MULTITURN = "fewshotAsMultiturn";
    public static final String SYSTEM_INSTRUCTION = "systemInstruction";
    public static final int MAX_SYSTEM_INSTRUCTION = 100_000;
    static final int MAX_STOP_STRINGS = 16;

    public static final long DEFAULT_FEWSHOT_SEED = 1234;
    public static final int DEFAULT_BATCH_SIZE = 32;

    /** The option specs of a task or group; {@code offerFewshot} is false for tasks fixed at 0 shots. */
    public static List<OptionSpec> specs(boolean offerFewshot, int defaultShots) {
        List<OptionSpec> specs = new ArrayList<>();
        if (offerFewshot) {
            specs.add(new IntegerOption(
                    NUM_FEWSHOT,
                    "Few-shot examples per document (lm-eval --num_fewshot)",
                    (long) defaultShots,
                    0,
                    1000));
        }
        specs.add(new IntegerOption(
                LIMIT,
                "Score only the first N documents of each task (lm-eval --limit);" + " leave out for all",
                null,
                1,
                100_000_000));
        specs.add(new IntegerOption(
                FEWSHOT_SEED,
                "Seed of the few-shot sampler (the last number of lm-eval --seed)",
                DEFAULT_FEWSHOT_SEED,
                0,
                Long.MAX_VALUE));
        specs.add(new BooleanOption(
                ADD_BOS_TOKEN,
                "Force (true) or forbid (false) a BOS token before every"
                        + " context; leave out for the tokenizer's default, as lm-eval's HF backend since v0.4.9.2",
                null));
        specs.add(new IntegerOption(
                MAX_LENGTH,
                "Longest input in tokens, contexts are cut from the left (lm-eval"
                        + " max_length); leave out for the model's",
                null,
                2,
                10_000_000));
        specs.add(new IntegerOption(
                BATCH_SIZE,
                "Requests sent to the engine at a time (whole documents, longest first)",
                (long) DEFAULT_BATCH_SIZE,
                1,
                4096));
        specs.add(new BooleanOption(
                APPLY_CHAT_TEMPLATE,
                "Render each prompt as chat messages with the model's own chat template (lm-eval"
                        + " --apply_chat_template); multiple-choice continuations then lose the target delimiter",
                false));
        specs.add(new BooleanOption(
                FEWSHOT_AS_MULTITURN,
                "Few-shot examples as alternating user and assistant turns instead of one user message (lm-eval"
                        + " --fewshot_as_multiturn); needs applyChatTemplate",
                false));
        specs.add(new StringOption(
                SYSTEM_INSTRUCTION,
                "System instruction (lm-eval --system_instruction): the system message before the task's"
                        + " description with a chat template, else written verbatim at the start of every prompt",
                null,
                List.of(),
                MAX_SYSTEM_INSTRUCTION));
        return specs;
    }

    /**
     * The option specs of a generation task: those of every task, the decoding settings with the task's own as
     * defaults (so {@code GET /tasks} shows them), and responses made elsewhere.
     */
    public static List<OptionSpec> generationSpecs(boolean offerFewshot, int defaultShots, GenerationSettings task) {
        List<OptionSpec> specs = specs(offerFewshot, defaultShots);
        specs.add(new ObjectOption(
                GENERATION,
                "Decoding, overriding the task's generation_kwargs (the defaults shown are the task's)",
                List.of(
                        new IntegerOption(
                                GenerationSettings.MAX_NEW_TOKENS,
                                "Most tokens generated per response (lm-eval max_gen_toks)",
                                (long) task.maxNewTokens(),
                                1,
                                1_000_000),
                        new NumberOption(
                                GenerationSettings.TEMPERATURE,
                                "0 for greedy decoding (lm-eval do_sample: false)",
                                task.temperature(),
                                0,
                                10),
                        new NumberOption(
                                GenerationSettings.TOP_P, "Nucleus sampling mass, 1 for none", task.topP(), 0.01, 1),
                        new StringListOption(
                                GenerationSettings.STOP,
                                "Stop strings (lm-eval until); the response is cut before the first",
                                task.stop(),
                                MAX_STOP_STRINGS,
                                1000),
                        new IntegerOption(
                                GenerationSettings.SEED,
                                "Sampling seed; unused when greedy",
                                task.seed(),
                                0,
                                Long.MAX_VALUE))));
        specs.add(
                new GenerationResponsesOption(
                        OUTPUTS,
                        "Responses made elsewhere to score instead of generating: [{doc_id, response}] or lm-eval samples"
                                + " records, inline or a file:/http(s): URI of a JSON array or JSON Lines; no model is loaded"));
        return specs;
    }

    /** The decoding of this run: the stored {@code generation} option over the task's own settings. */
    public GenerationSettings generationSettings(GenerationSettings task) {
        return GenerationSettings.of(generation, task);
    }

    /** Reads stored options (defaults already filled in by the API; missing ones fall back to the defaults). */
    public static LmEvalOptions of(JsonNode options) {
        ObjectNode empty = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        JsonNode o = options == null ? empty : options;
        return new LmEvalOptions(
                o.hasNonNull(NUM_FEWSHOT) ? o.get(NUM_FEWSHOT).intValue() : 0,
                o.hasNonNull(LIMIT) ? o.get(LIMIT).intValue() : null,
                o.hasNonNull(FEWSHOT_SEED) ? o.get(FEWSHOT_SEED).longValue() : DEFAULT_FEWSHOT_SEED,
                o.hasNonNull(ADD_BOS_TOKEN) ? o.get(ADD_BOS_TOKEN).booleanValue() : null,
                o.hasNonNull(MAX_LENGTH) ? o.get(MAX_LENGTH).intValue() : null,
                o.hasNonNull(BATCH_SIZE) ? o.get(BATCH_SIZE).intValue() : DEFAULT_BATCH_SIZE,
                o.get(GENERATION),
                o.get(OUTPUTS),
                o.hasNonNull(APPLY_CHAT_TEMPLATE) && o.get(APPLY_CHAT_TEMPLATE).booleanValue(),
                o.hasNonNull(FEWSHOT_AS_MULTITURN)
                        && o.get(FEWSHOT_AS_MULTITURN).booleanValue(),
                o.hasNonNull(SYSTEM_INSTRUCTION) ? o.get(SYSTEM_INSTRUCTION).stringValue() : null);
    }

    /**
     * {@code fewshotAsMultiturn} only with {@code applyChatTemplate}: lm-eval refuses {@code --fewshot_as_multiturn}
     * without {@code --apply_chat_template}, so a submission is refused before anything runs.
     */
    public static final OptionsRule MULTITURN_NEEDS_CHAT_TEMPLATE = (options, pointer, violations) -> {
        boolean multiturn = options.path(FEWSHOT_AS_MULTITURN).asBoolean(false);
        if (multiturn && !options.path(APPLY_CHAT_TEMPLATE).asBoolean(false)) {
            violations.add(new Violation(
                    ViolationKind.INVALID_VALUE,
                    JsonPointers.child(pointer, FEWSHOT_AS_MULTITURN),
                    "'fewshotAsMultiturn' needs 'applyChatTemplate': true, as lm-eval refuses --fewshot_as_multiturn"
                            + " without --apply_chat_template"));
        }
    };

    /**
     * {@code applyChatTemplate} renders with the model's template, and responses made elsewhere ({@code outputs})
     * load no model: the two together are refused.
     */
    public static final OptionsRule CHAT_TEMPLATE_NEEDS_A_MODEL = (options, pointer, violations) -> {
        if (options.path(APPLY_CHAT_TEMPLATE).asBoolean(false) && options.hasNonNull(OUTPUTS)) {
            violations.add(new Violation(
                    ViolationKind.INVALID_VALUE,
                    JsonPointers.child(pointer, APPLY_CHAT_TEMPLATE),
                    "'applyChatTemplate' renders prompts with the model's chat template, and 'outputs' (responses"
                            + " made elsewhere) load no model; leave out applyChatTemplate to score them"));
        }
    };

    /** The rules between the options of {@link #specs}. */
    public static List<OptionsRule> rules() {
        return List.of(MULTITURN_NEEDS_CHAT_TEMPLATE, CHAT_TEMPLATE_NEEDS_A_MODEL);
    }

    /**
     * The prompt options of this run.
     *
     * @throws IllegalArgumentException for {@code fewshotAsMultiturn} without {@code applyChatTemplate}, which
     *                                  lm-eval refuses too
     */
    public ChatOptions chat() {
        if (fewshotAsMultiturn && !applyChatTemplate) {
            throw new IllegalArgumentException("fewshotAsMultiturn needs applyChatTemplate: lm-eval refuses"
                    + " --fewshot_as_multiturn without --apply_chat_template");
        }
        return new ChatOptions(systemInstruction, applyChatTemplate, fewshotAsMultiturn);
    }
}
