package ai.assay.reference.lmeval;

import ai.assay.reference.python.PyRandom;
import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a task's requests exactly as lm-eval's {@code build_all_requests} does without a chat template (commit
 * 4e7e0d47f, {@code ConfigurableTask.fewshot_context} and {@code construct_requests}). The context is the
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
        TaskConfig config = task.config();
        int shots = effectiveShots(config, numFewshot);
        List<Doc> pool = task.fewshotSamples() != null ? task.fewshotSamples() : fewshotDocs;
        FewshotSampler sampler = shots > 0 ? new FewshotSampler(task, pool, new PyRandom(seed)) : null;
        int count = limit == null ? evalDocs.size() : Math.min(limit, evalDocs.size());
        List<DocRequests> requests = new ArrayList<>(count);
        for (int docId = 0; docId < count; docId++) {
            Doc doc = evalDocs.get(docId);
            String context = task.description(doc) + (sampler == null ? "" : sampler.context(doc, shots));
            requests.add(
                    config.generative()
                            ? generationOf(task, docId, doc, context)
                            : requestsOf(task, docId, doc, context));
        }
        return requests;
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

    private static DocRequests generationOf(LmEvalTask task, int docId, Doc doc, String labeledExamples) {
        TaskConfig config = task.config();
        Object text = task.docToText(doc);
        if (!(text instanceof String s)) {
            throw new IllegalStateException(
                    "%s: doc_to_text gave %s, not a string".formatted(task.name(), PyValues.repr(text)));
        }
        String context = labeledExamples + question(s, task.genPrefix(doc), config.targetDelimiter());
        return DocRequests.generating(
                task.name(),
                docId,
                doc,
                PyValues.str(task.docToTarget(doc)),
                new GenerationRequest(context, config.generationKwargs(), config.repeats()));
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
