package ai.assay.reference.lmeval;

import ai.assay.reference.python.PyStrings;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Per-document metrics of a multiple-choice task from its responses, as lm-eval's
 * {@code ConfigurableTask.process_results}: {@code acc} = argmax of the log-likelihoods is the gold index;
 * {@code acc_norm} = the same after dividing each by its choice's length in characters (code points, without the
 * delimiter); {@code exact_match} = the gold choice was greedy. numpy's argmax: the first maximum (or first NaN).
 * A task with its own {@code process_results} (TruthfulQA mc2) uses that instead.
 */
public final class DocScoring {

    private DocScoring() {}

    public static LinkedHashMap<String, Double> score(LmEvalTask task, Doc doc, List<LogLikelihood> results) {
        if (task.processResults() != null) {
            return task.processResults().apply(doc, results);
        }
        List<String> choices = task.docToChoice(doc);
        if (results.size() != choices.size()) {
            throw new IllegalArgumentException(
                    "%s doc: %d responses for %d choices".formatted(task.name(), results.size(), choices.size()));
        }
        double[] lls = new double[results.size()];
        double[] normalized = new double[results.size()];
        for (int i = 0; i < lls.length; i++) {
            lls[i] = results.get(i).logLikelihood();
            normalized[i] = lls[i] / (double) PyStrings.length(choices.get(i));
        }
        int pred = argmax(lls);
        int predNorm = argmax(normalized);
        Object gold = task.multipleInput(doc) ? task.docToText(doc) : task.docToTarget(doc);
        List<Integer> golds = goldIndices(gold, choices);
        boolean multipleTarget = gold instanceof List;
        LinkedHashMap<String, Double> metrics = new LinkedHashMap<>();
        for (MetricSpec metric : task.config().metrics()) {
            switch (metric.metric()) {
                case "acc" -> metrics.put("acc", hit(pred, golds, multipleTarget) ? 1.0 : 0.0);
                case "acc_norm" -> metrics.put("acc_norm", hit(predNorm, golds, multipleTarget) ? 1.0 : 0.0);
                case "exact_match" -> {
                    boolean any = false;
                    for (int g : golds) {
                        any |= g != -100 && results.get(g).greedy();
                        if (!multipleTarget) {
                            break;
                        }
                    }
                    metrics.put("exact_match", any ? 1.0 : 0.0);
                }
                default -> throw new IllegalStateException("unsupported metric " + metric.metric());
            }
        }
        return metrics;
    }

    /** lm-eval's {@code check_gold_index_error}: out-of-range or unknown golds become -100 (always wrong). */
    static List<Integer> goldIndices(Object gold, List<String> choices) {
        if (gold instanceof List<?> list) {
            return list.stream().map(g -> index(g, choices)).toList();
        }
        return List.of(index(gold, choices));
    }

    private static int index(Object gold, List<String> choices) {
        if (gold instanceof Long l) {
            return l < choices.size() ? Math.toIntExact(l) : -100;
        }
        if (gold instanceof String s) {
            int i = choices.indexOf(s);
            return i < 0 ? -100 : i;
        }
        throw new IllegalArgumentException("gold must be an index or a choice, was " + gold);
    }

    private static boolean hit(int pred, List<Integer> golds, boolean multipleTarget) {
        return multipleTarget ? golds.contains(pred) : golds.get(0) == pred;
    }

    /** numpy.argmax: the first maximal element, or the first NaN if there is one. */
    static int argmax(double[] values) {
        int best = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                return i;
            }
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
