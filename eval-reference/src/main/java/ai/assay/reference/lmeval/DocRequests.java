package ai.assay.reference.lmeval;

import java.util.List;

/**
 * The requests of one document: for a {@code multiple_choice} task its loglikelihood requests in {@code idx}
 * order (one per choice), for a {@code generate_until} task its one generation request.
 *
 * @param task       the leaf task (for a group, the subtask)
 * @param docId      the document's index in the task's evaluated split
 * @param target     {@code str(doc_to_target(doc))}, as lm-eval's samples file writes it
 * @param arguments  the loglikelihood requests; empty for a generation task
 * @param generation the generation request, or null for a multiple-choice task
 */
public record DocRequests(
        String task,
        int docId,
        Doc doc,
        String target,
        List<ScoringArguments> arguments,
        GenerationRequest generation) {

    public DocRequests {
        arguments = List.copyOf(arguments);
    }

    /** A multiple-choice document's loglikelihood requests. */
    public DocRequests(String task, int docId, Doc doc, String target, List<ScoringArguments> arguments) {
        this(task, docId, doc, target, arguments, null);
    }

    /** A generation task's document. */
    public static DocRequests generating(String task, int docId, Doc doc, String target, GenerationRequest generation) {
        return new DocRequests(task, docId, doc, target, List.of(), generation);
    }

    public boolean generative() {
        return generation != null;
    }
}
