package ai.assay.api.lmeval;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A well-formed lm-eval import, not yet checked against Assay's tasks and documents: one model's
 * {@code results_*.json} and the lines of its {@code samples_<task>.jsonl} files.
 *
 * @param results the results.json as lm-eval wrote it
 * @param samples each leaf task's sample lines in file order, by task name
 * @param replace whether the import may take the place of results the model already has on the leaderboard
 */
record LmEvalImport(
        String model,
        String revision,
        Map<String, String> labels,
        ObjectNode results,
        Map<String, List<Line>> samples,
        boolean replace) {

    LmEvalImport {
        labels = Map.copyOf(labels);
        samples = Map.copyOf(samples);
    }

    /**
     * One line of a samples file.
     *
     * @param pointer where the line is in the request ({@code /samples/arc_easy/3}), for the problems
     */
    record Line(String pointer, ObjectNode json) {}
}
