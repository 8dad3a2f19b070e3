package ai.assay.core.alpacaeval;

import ai.assay.core.task.IntegerOption;
import ai.assay.core.task.ModelOutputsOption;
import ai.assay.core.task.NumberOption;
import ai.assay.core.task.ObjectOption;
import ai.assay.core.task.OutputsUriOption;
import ai.assay.core.task.StringOption;
import ai.assay.core.task.TaskCatalog;
import ai.assay.core.task.TaskDefinition;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The {@code alpaca_eval} task: generate answers to AlpacaEval's 805 instructions (or take pre-generated ones),
 * have an LLM judge compare each with the reference answer, and score WR and LCWR as alpaca_eval does. The
 * generation defaults are HALOs' ({@code train.sample --mode alpacaeval}).
 */
@Component
public class AlpacaEvalTaskCatalog implements TaskCatalog {

    public static final String NAME = "alpaca_eval";
    public static final String DEFAULT_ANNOTATOR = "weighted_alpaca_eval_gpt4_turbo";
    public static final int EVAL_SET_SIZE = 805;

    public static final TaskDefinition DEFINITION = new TaskDefinition(
            NAME,
            "AlpacaEval 2: answers to 805 instructions judged against a reference model's by an LLM judge; win rate"
                    + " (WR) and length-controlled win rate (LCWR) computed as alpaca_eval computes them.",
            List.of(
                    new StringOption(
                            "annotator",
                            "The judge: an alpaca_eval annotator name (e.g."
                                    + " weighted_alpaca_eval_gpt4_turbo, weighted_alpaca_eval_gpt4.1, alpaca_eval_gpt4) or"
                                    + " one mounted in the worker's annotator directory",
                            DEFAULT_ANNOTATOR,
                            List.of(),
                            200),
                    new IntegerOption(
                            "limit",
                            "Evaluate only the first N instructions, in eval-set order",
                            (long) EVAL_SET_SIZE,
                            1,
                            EVAL_SET_SIZE),
                    new ObjectOption(
                            "generation",
                            "How the model answers (ignored with 'outputs')",
                            List.of(
                                    new NumberOption("temperature", "Sampling temperature; 0 is greedy", 0.7, 0, 2),
                                    new NumberOption("topP", "Nucleus sampling mass", 0.95, 0, 1),
                                    new IntegerOption(
                                            "topK",
                                            "Keep only the k most likely tokens; 0 for no limit",
                                            0L,
                                            0,
                                            1_000_000),
                                    new IntegerOption(
                                            "maxNewTokens", "The longest answer, in tokens", 2048L, 1, 131_072),
                                    new IntegerOption(
                                            "seed", "The same seed gives the same answers", 0L, 0, Integer.MAX_VALUE))),
                    new ModelOutputsOption(
                            "outputs",
                            "Pre-generated answers (e.g. from vLLM) in model_outputs.json"
                                    + " form, inline or as a URI; then no model is loaded and only judging runs"),
                    new OutputsUriOption(
                            "referenceOutputs",
                            "A model_outputs.json (file:, http: or https: URI) to judge"
                                    + " against instead of the eval set's gpt4_1106_preview answers"),
                    new ObjectOption(
                            "budget",
                            "Stop judging when the judge has used this much",
                            List.of(
                                    new IntegerOption(
                                            "maxTokens",
                                            "Judge tokens (prompt and completion)",
                                            null,
                                            1,
                                            Long.MAX_VALUE),
                                    new NumberOption("maxCostUsd", "Judge cost in US dollars", null, 0, 1_000_000)))));

    @Override
    public List<TaskDefinition> definitions() {
        return List.of(DEFINITION);
    }
}
