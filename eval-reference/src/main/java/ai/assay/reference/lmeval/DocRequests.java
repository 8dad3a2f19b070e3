package ai.assay.reference.lmeval;

import java.util.List;

/**
 * The requests of one document, in {@code idx} order (one per choice).
 *
 * @param task   the leaf task (for a group, the subtask)
 * @param docId  the document's index in the task's evaluated split
 * @param target {@code str(doc_to_target(doc))}, as lm-eval's samples file writes it
 */
public record DocRequests(String task, int docId, Doc doc, String target, List<ScoringArguments> arguments) {

    public DocRequests {
        arguments = List.copyOf(arguments);
    }
}
