package ai.assay.reference.lmeval;

import ai.assay.reference.python.PyRandom;
import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a task's requests exactly as lm-eval's {@code build_all_requests} does without a chat template:
 * {@code description + few-shot examples + doc_to_text(doc)}, then one {@code (context, target_delimiter +
 * choice)} request per choice; for a multiple-input task (WinoGrande) one {@code (context + choice,
 * target_delimiter + target)} per choice. {@code limit} takes the first documents, which get the same prompts as in
 * a full run because the few-shot generator is consumed in document order.
 */
public final class TaskPrompts {

    private TaskPrompts() {}

    /**
     * @param evalDocs    the evaluated split after {@code process_docs}
     * @param fewshotDocs the few-shot pool after {@code process_docs} (unused at 0 shots)
     * @param numFewshot shots per document (ignored, as lm-eval ignores it, for tasks fixed at 0 shots)
     * @param seed       the few-shot seed (lm-eval's default 1234)
     * @param limit      how many documents, or null for all
     */
    public static List<DocRequests> build(
            LmEvalTask task, List<Doc> evalDocs, List<Doc> fewshotDocs, int numFewshot, long seed, Integer limit) {
        TaskConfig config = task.config();
        int shots = effectiveShots(config, numFewshot);
        FewshotSampler sampler = shots > 0 ? new FewshotSampler(task, fewshotDocs, new PyRandom(seed)) : null;
        int count = limit == null ? evalDocs.size() : Math.min(limit, evalDocs.size());
        List<DocRequests> requests = new ArrayList<>(count);
        for (int docId = 0; docId < count; docId++) {
            Doc doc = evalDocs.get(docId);
            String context = task.description(doc) + (sampler == null ? "" : sampler.context(doc, shots));
            requests.add(requestsOf(task, docId, doc, context));
        }
        return requests;
    }

    /** lm-eval's rule: a task whose YAML says {@code num_fewshot: 0} stays at 0; else the asked number. */
    public static int effectiveShots(TaskConfig config, int numFewshot) {
        return config.fixedZeroShot() ? 0 : numFewshot;
    }

    private static DocRequests requestsOf(LmEvalTask task, int docId, Doc doc, String labeledExamples) {
        TaskConfig config = task.config();
        Object text = task.docToText(doc);
        List<String> choices = task.docToChoice(doc);
        Object target = task.docToTarget(doc);
        String prefix = config.genPrefix() == null ? "" : config.targetDelimiter() + config.genPrefix();
        String delimiter = config.targetDelimiter();
        List<ScoringArguments> arguments = new ArrayList<>(choices.size());
        if (text instanceof Long) {
            String continuation = delimiter + PyValues.str(target);
            for (String choice : choices) {
                arguments.add(new ScoringArguments(labeledExamples + choice, continuation));
            }
        } else {
            String context = labeledExamples + PyValues.str(text) + prefix;
            for (String choice : choices) {
                arguments.add(new ScoringArguments(context, delimiter + choice));
            }
        }
        return new DocRequests(task.name(), docId, doc, PyValues.str(target), arguments);
    }
}
