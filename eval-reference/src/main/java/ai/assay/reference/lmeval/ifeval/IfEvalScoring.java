package ai.assay.reference.lmeval.ifeval;

import ai.assay.reference.lmeval.Aggregation;
import ai.assay.reference.lmeval.Doc;
import ai.assay.reference.lmeval.MetricResult;
import ai.assay.reference.lmeval.NumberKind;
import ai.assay.reference.python.PyStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * lm-eval's {@code lm_eval/tasks/ifeval/utils.py}: {@code process_results} and {@code agg_inst_level_acc}.
 * <ul>
 *   <li>Strict: an instruction is followed when the response is not blank ({@code response.strip()}) and its checker
 *       accepts the response as it is.
 *   <li>Loose: followed when the checker accepts any non-blank one of eight variants, tried in upstream's order: the
 *       response; it without {@code *}; without its first line; without its last line; without both (lines split on
 *       {@code \n}, rejoined and stripped); each of those three without {@code *}.
 *   <li>Aggregation: the prompt-level metrics are {@code mean} over documents with lm-eval's standard error; the
 *       instruction-level ones are {@code agg_inst_level_acc}, the mean over all documents' instructions pooled,
 *       whose standard error lm-eval reports as "N/A" ({@code stderr_for_metric} knows no error for a custom
 *       aggregation function), here null.
 * </ul>
 * Upstream builds each instruction twice, once per mode; here once, which is the same but where a missing argument
 * is drawn at random (see {@link InstructionArguments}).
 */
public final class IfEvalScoring {

    private final PunktSentences sentences;

    private IfEvalScoring(PunktSentences sentences) {
        this.sentences = sentences;
    }

    /** Scoring with Punkt untrained, the model Assay can ship (docs/tasks.md, IFEval). */
    public static IfEvalScoring standard() {
        return new IfEvalScoring(PunktSentences.untrained());
    }

    /** Scoring with the given Punkt model, e.g. nltk's English one read by {@link PunktSentences#fromPunktTab}. */
    public static IfEvalScoring withSentences(PunktSentences sentences) {
        return new IfEvalScoring(sentences);
    }

    /** {@code process_results(doc, [response])} for a task document. */
    public IfEvalScore score(Doc doc, String response) {
        return score(IfEvalRow.fromJson(doc.json()), response);
    }

    public IfEvalScore score(JsonNode row, String response) {
        return score(IfEvalRow.fromJson(row), response);
    }

    public IfEvalScore score(Map<String, ?> document, String response) {
        return score(IfEvalRow.fromDocument(document), response);
    }

    public IfEvalScore score(IfEvalRow row, String response) {
        List<String> variants = looseVariants(response);
        List<Boolean> strict = new ArrayList<>();
        List<Boolean> loose = new ArrayList<>();
        for (int i = 0; i < row.instructionIds().size(); i++) {
            Instruction instruction =
                    Instructions.build(row.instructionIds().get(i), row.kwargs().get(i), sentences);
            strict.add(follows(instruction, response));
            boolean followed = false;
            for (String variant : variants) {
                if (follows(instruction, variant)) {
                    followed = true;
                    break;
                }
            }
            loose.add(followed);
        }
        return new IfEvalScore(strict, loose);
    }

    private static boolean follows(Instruction instruction, String response) {
        return !PyStrings.strip(response).isEmpty() && instruction.isFollowedBy(response);
    }

    /** The eight responses of {@code test_instruction_following_loose}, in its order. */
    static List<String> looseVariants(String response) {
        List<String> lines = PyStrings.split(response, "\n", -1);
        int n = lines.size();
        String withoutFirst = PyStrings.strip(String.join("\n", lines.subList(Math.min(1, n), n)));
        String withoutLast = PyStrings.strip(String.join("\n", lines.subList(0, Math.max(0, n - 1))));
        String withoutBoth = n <= 2 ? "" : PyStrings.strip(String.join("\n", lines.subList(1, n - 1)));
        return List.of(
                response,
                response.replace("*", ""),
                withoutFirst,
                withoutLast,
                withoutBoth,
                withoutFirst.replace("*", ""),
                withoutLast.replace("*", ""),
                withoutBoth.replace("*", ""));
    }

    /**
     * The task's four metrics over its documents, in the order of {@code ifeval.yaml}'s {@code metric_list}; each
     * {@link MetricResult#n()} is the number of documents.
     */
    public static List<MetricResult> aggregate(List<IfEvalScore> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("no IFEval documents to aggregate");
        }
        List<List<Boolean>> strict =
                scores.stream().map(IfEvalScore::instructionsStrict).toList();
        List<List<Boolean>> loose =
                scores.stream().map(IfEvalScore::instructionsLoose).toList();
        return List.of(
                Aggregation.mean(IfEvalScore.PROMPT_LEVEL_STRICT, promptValues(scores, true), NumberKind.PYTHON),
                new MetricResult(
                        IfEvalScore.INSTRUCTION_LEVEL_STRICT,
                        "none",
                        instructionLevelAccuracy(strict),
                        null,
                        scores.size()),
                Aggregation.mean(IfEvalScore.PROMPT_LEVEL_LOOSE, promptValues(scores, false), NumberKind.PYTHON),
                new MetricResult(
                        IfEvalScore.INSTRUCTION_LEVEL_LOOSE,
                        "none",
                        instructionLevelAccuracy(loose),
                        null,
                        scores.size()));
    }

    /** {@code agg_inst_level_acc(items)}: the documents' lists flattened, then {@code sum(flat) / len(flat)}. */
    public static double instructionLevelAccuracy(List<List<Boolean>> items) {
        long followed = 0;
        long total = 0;
        for (List<Boolean> document : items) {
            for (boolean value : document) {
                followed += value ? 1 : 0;
                total++;
            }
        }
        if (total == 0) {
            throw new ArithmeticException("division by zero: no instructions (lm-eval raises ZeroDivisionError)");
        }
        return (double) followed / total;
    }

    private static double[] promptValues(List<IfEvalScore> scores, boolean strict) {
        double[] values = new double[scores.size()];
        for (int i = 0; i < values.length; i++) {
            IfEvalScore score = scores.get(i);
            values[i] = (strict ? score.promptStrict() : score.promptLoose()) ? 1 : 0;
        }
        return values;
    }
}
