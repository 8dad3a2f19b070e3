package ai.assay.reference.lmeval;

import ai.assay.reference.python.PyRandom;
import ai.assay.reference.python.PyStrings;
import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a task's requests exactly as lm-eval's {@code build_all_requests} does (commit 4e7e0d47f,
 * {@code ConfigurableTask.fewshot_context} and {@code construct_requests}); with a chat template, see
 * {@link ChatPrompt} and {@link #build(LmEvalTask, List, List, int, long, Integer, ChatOptions, ChatPrompt.Renderer)}.
 * Without one, the context is the system instruction (if any, joined to the description by the few-shot delimiter), the
 * description, the few-shot examples ({@link FewshotSampler}) and the document's text, followed, when the task has
 * a {@code gen_prefix}, by the target delimiter (unless either side has whitespace at the join) and the prefix.
 * A {@code multiple_choice} task gets one {@code (context, target_delimiter + choice)} request per choice; a
 * multiple-input one (WinoGrande) one {@code (context + choice, target_delimiter + target)} per choice; a
 * {@code generate_until} task one {@code (context, generation_kwargs)} request. {@code limit} takes the first
 * documents, which get the same prompts as in a full run because the few-shot generator is consumed in document
 * order.
 */
public final class TaskPrompts {

    private TaskPrompts() {}

    /**
     * @param evalDocs    the evaluated split after {@code process_docs}
     * @param fewshotDocs the few-shot split after {@code process_docs} (unused at 0 shots, and when the task's
     *                    {@code fewshot_config.samples} are the pool)
     * @param numFewshot  shots per document (ignored, as lm-eval ignores it, for tasks fixed at 0 shots)
     * @param seed        the few-shot seed (lm-eval's default 1234)
     * @param limit       how many documents, or null for all
     */
    public static List<DocRequests> build(
            LmEvalTask task, List<Doc> evalDocs, List<Doc> fewshotDocs, int numFewshot, long seed, Integer limit) {
        return build(task, evalDocs, fewshotDocs, numFewshot, seed, limit, ChatOptions.NONE, null);
    }

    /**
     * The requests with lm-eval's prompt options. Without a chat template the context is written as plain text,
     * the system instruction (if any) first. With one, each context is the document's {@link ChatPrompt} rendered
     * by {@code renderer} (the model's template), and a {@code multiple_choice} continuation is the choice with
     * no target delimiter, unless the task's {@code gen_prefix} is set and does not end in whitespace
     * ({@code construct_requests}); a {@code generate_until} request keeps its {@code generation_kwargs}.
     *
     * @param renderer the model's chat template; unused (and may be null) without {@code applyChatTemplate}
     */
    public static List<DocRequests> build(
            LmEvalTask task,
            List<Doc> evalDocs,
            List<Doc> fewshotDocs,
            int numFewshot,
            long seed,
            Integer limit,
            ChatOptions options,
            ChatPrompt.Renderer renderer) {
        if (options.applyChatTemplate() && renderer == null) {
            throw new IllegalArgumentException("applyChatTemplate needs the model's chat template");
        }
        TaskConfig config = task.config();
        int shots = effectiveShots(config, numFewshot);
        FewshotSampler sampler = sampler(task, fewshotDocs, shots, seed);
        int count = limit == null ? evalDocs.size() : Math.min(limit, evalDocs.size());
        List<DocRequests> requests = new ArrayList<>(count);
        for (int docId = 0; docId < count; docId++) {
            Doc doc = evalDocs.get(docId);
            if (options.applyChatTemplate()) {
                List<PromptTurn> labeled = labeledTurns(task, doc, sampler, shots, options);
                List<String> contexts = chatPrompt(task, doc, labeled, options).render(renderer);
                requests.add(
                        config.generative()
                                ? generationOf(task, docId, doc, contexts.get(0))
                                : chatRequestsOf(task, docId, doc, contexts));
                continue;
            }
            String context = systemPrompt(task, doc, options) + (sampler == null ? "" : sampler.context(doc, shots));
            requests.add(
                    config.generative()
                            ? generationOf(task, docId, doc, labeledText(task, doc, context))
                            : requestsOf(task, docId, doc, context));
        }
        return requests;
    }

    /**
     * The chat messages of each document under a chat template, before rendering: what lm-eval hands the model's
     * template ({@link ChatPrompt}). The few-shot examples are drawn as {@link #build} draws them.
     */
    public static List<ChatPrompt> chatPrompts(
            LmEvalTask task,
            List<Doc> evalDocs,
            List<Doc> fewshotDocs,
            int numFewshot,
            long seed,
            Integer limit,
            ChatOptions options) {
        if (!options.applyChatTemplate()) {
            throw new IllegalArgumentException("chat messages are built only with applyChatTemplate");
        }
        int shots = effectiveShots(task.config(), numFewshot);
        FewshotSampler sampler = sampler(task, fewshotDocs, shots, seed);
        int count = limit == null ? evalDocs.size() : Math.min(limit, evalDocs.size());
        List<ChatPrompt> prompts = new ArrayList<>(count);
        for (int docId = 0; docId < count; docId++) {
            Doc doc = evalDocs.get(docId);
            prompts.add(chatPrompt(task, doc, labeledTurns(task, doc, sampler, shots, options), options));
        }
        return prompts;
    }

    private static FewshotSampler sampler(LmEvalTask task, List<Doc> fewshotDocs, int shots, long seed) {
        List<Doc> pool = task.fewshotSamples() != null ? task.fewshotSamples() : fewshotDocs;
        return shots > 0 ? new FewshotSampler(task, pool, new PyRandom(seed)) : null;
    }

    /**
     * The system prompt: {@code maybe_delimit(system_instruction, description, fewshot_delimiter)}, the description
     * alone without an instruction.
     */
    private static String systemPrompt(LmEvalTask task, Doc doc, ChatOptions options) {
        return PromptText.maybeDelimit(
                options.systemInstruction(),
                task.description(doc),
                task.config().fewshotDelimiter());
    }

    /** The system prompt's turn (when there is one) and the few-shot examples' turns. */
    private static List<PromptTurn> labeledTurns(
            LmEvalTask task, Doc doc, FewshotSampler sampler, int shots, ChatOptions options) {
        List<PromptTurn> turns = new ArrayList<>();
        String system = systemPrompt(task, doc, options);
        if (!system.isEmpty()) {
            turns.add(new PromptTurn(PromptMessage.SYSTEM, system, ""));
        }
        if (sampler != null) {
            turns.addAll(sampler.turns(doc, shots));
        }
        return turns;
    }

    /**
     * The evaluated document's turns ({@code build_qa_turn} without an answer): its text, followed by the
     * delimiter where a {@code gen_prefix} needs one, and an assistant turn holding the prefix.
     */
    private static List<PromptTurn> questionTurns(String text, String genPrefix, String targetDelimiter) {
        if (genPrefix == null || genPrefix.isEmpty()) {
            return List.of(new PromptTurn(PromptMessage.USER, text, ""));
        }
        String delimiter = PromptText.requiresDelimiter(text, genPrefix) ? targetDelimiter : "";
        return List.of(
                new PromptTurn(PromptMessage.USER, text, delimiter),
                new PromptTurn(PromptMessage.ASSISTANT, genPrefix, ""));
    }

    private static ChatPrompt chatPrompt(LmEvalTask task, Doc doc, List<PromptTurn> labeled, ChatOptions options) {
        TaskConfig config = task.config();
        Object text = task.docToText(doc);
        String genPrefix = task.genPrefix(doc);
        boolean prefill = genPrefix != null && !genPrefix.isEmpty();
        List<List<PromptMessage>> conversations = new ArrayList<>();
        if (text instanceof Long && !config.generative()) {
            for (String choice : task.docToChoice(doc)) {
                conversations.add(conversation(labeled, questionTurns(choice, genPrefix, ""), options));
            }
        } else {
            String question = config.generative() ? generationText(task, text) : PyValues.str(text);
            conversations.add(
                    conversation(labeled, questionTurns(question, genPrefix, config.targetDelimiter()), options));
        }
        return new ChatPrompt(conversations, prefill);
    }

    private static List<PromptMessage> conversation(
            List<PromptTurn> labeled, List<PromptTurn> question, ChatOptions options) {
        List<PromptTurn> turns = new ArrayList<>(labeled);
        turns.addAll(question);
        return ChatPrompt.conversation(turns, options.fewshotAsMultiturn());
    }

    private static String generationText(LmEvalTask task, Object text) {
        if (!(text instanceof String s)) {
            throw new IllegalStateException(
                    "%s: doc_to_text gave %s, not a string".formatted(task.name(), PyValues.repr(text)));
        }
        return s;
    }

    /** lm-eval's rule: a task whose YAML says {@code num_fewshot: 0} stays at 0; else the asked number. */
    public static int effectiveShots(TaskConfig config, int numFewshot) {
        return config.fixedZeroShot() ? 0 : numFewshot;
    }

    /** The evaluated document's turn: its text, then the delimiter and {@code gen_prefix} when it has one. */
    private static String question(String text, String genPrefix, String targetDelimiter) {
        if (genPrefix == null || genPrefix.isEmpty()) {
            return text;
        }
        return text + (PromptText.requiresDelimiter(text, genPrefix) ? targetDelimiter : "") + genPrefix;
    }

    /** A generation document's plain-text context: the labeled examples, then its question. */
    private static String labeledText(LmEvalTask task, Doc doc, String labeledExamples) {
        String text = generationText(task, task.docToText(doc));
        return labeledExamples
                + question(text, task.genPrefix(doc), task.config().targetDelimiter());
    }

    private static DocRequests generationOf(LmEvalTask task, int docId, Doc doc, String context) {
        TaskConfig config = task.config();
        return DocRequests.generating(
                task.name(),
                docId,
                doc,
                PyValues.str(task.docToTarget(doc)),
                new GenerationRequest(context, config.generationKwargs(), config.repeats()));
    }

    /**
     * A multiple-choice document's requests under a chat template: {@code contexts} are the rendered chats (one,
     * or one per choice for a multiple-input task).
     */
    private static DocRequests chatRequestsOf(LmEvalTask task, int docId, Doc doc, List<String> contexts) {
        TaskConfig config = task.config();
        String genPrefix = config.genPrefix();
        String delimiter =
                genPrefix != null && !genPrefix.isEmpty() && !endsWithSpace(genPrefix) ? config.targetDelimiter() : "";
        Object target = task.docToTarget(doc);
        List<String> choices = task.docToChoice(doc);
        List<ScoringArguments> arguments = new ArrayList<>(choices.size());
        if (task.docToText(doc) instanceof Long) {
            String continuation = delimiter + PyValues.str(target);
            for (String context : contexts) {
                arguments.add(new ScoringArguments(context, continuation));
            }
        } else {
            for (String choice : choices) {
                arguments.add(new ScoringArguments(contexts.get(0), delimiter + choice));
            }
        }
        return new DocRequests(task.name(), docId, doc, PyValues.str(target), arguments);
    }

    private static boolean endsWithSpace(String s) {
        return PyStrings.isSpace(s.codePointBefore(s.length()));
    }

    private static DocRequests requestsOf(LmEvalTask task, int docId, Doc doc, String labeledExamples) {
        TaskConfig config = task.config();
        Object text = task.docToText(doc);
        List<String> choices = task.docToChoice(doc);
        Object target = task.docToTarget(doc);
        String genPrefix = task.genPrefix(doc);
        String delimiter = config.targetDelimiter();
        List<ScoringArguments> arguments = new ArrayList<>(choices.size());
        if (text instanceof Long) {
            String continuation = delimiter + PyValues.str(target);
            for (String choice : choices) {
                // lm-eval writes each context choice with an empty target delimiter before the prefix.
                arguments.add(new ScoringArguments(labeledExamples + question(choice, genPrefix, ""), continuation));
            }
        } else {
            String context = labeledExamples + question(PyValues.str(text), genPrefix, delimiter);
            for (String choice : choices) {
                arguments.add(new ScoringArguments(context, delimiter + choice));
            }
        }
        return new DocRequests(task.name(), docId, doc, PyValues.str(target), arguments);
    }
}
