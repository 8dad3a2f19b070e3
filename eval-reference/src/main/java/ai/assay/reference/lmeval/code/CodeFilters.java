package ai.assay.reference.lmeval.code;

import ai.assay.reference.lmeval.FunctionRef;
import ai.assay.reference.lmeval.filters.CustomFilters;
import ai.assay.reference.lmeval.filters.FilterStep;
import ai.assay.reference.python.PyRe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The filter functions of lm-eval's {@code tasks/humaneval/utils.py} and {@code tasks/mbpp/utils.py}, which turn a
 * document's responses into the predictions {@code code_eval} runs. Both files name theirs
 * {@code utils.build_predictions}, so the task's directory says which is meant.
 */
public final class CodeFilters {

    private CodeFilters() {}

    /** The functions of the task directory {@code directory} ({@code humaneval}, {@code mbpp}); none elsewhere. */
    public static CustomFilters of(String directory) {
        return (function, kwargs) -> step(directory, function);
    }

    private static Optional<FilterStep> step(String directory, FunctionRef function) {
        return Optional.ofNullable(
                switch (directory + ":" + function.key()) {
                    case "humaneval:utils.build_predictions" -> new HumanEvalPredictions(false);
                    case "humaneval:utils.build_predictions_instruct" -> new HumanEvalPredictions(true);
                    case "mbpp:utils.build_predictions" -> new MbppPredictions();
                    default -> null;
                });
    }

    /**
     * HumanEval's {@code build_predictions}: {@code doc["prompt"] + r} for every response {@code r} (the function
     * signature and docstring the model completed, then its completion). {@code build_predictions_instruct} first
     * cuts each response before its first {@code ```}.
     */
    public record HumanEvalPredictions(boolean instruct) implements FilterStep {

        @Override
        public String function() {
            return instruct ? "!function utils.build_predictions_instruct" : "!function utils.build_predictions";
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            if (!(doc.get("prompt") instanceof String prompt)) {
                throw new IllegalArgumentException(function() + " needs the document's prompt (upstream: KeyError)");
            }
            List<Object> predictions = new ArrayList<>();
            for (String response : strings(responses, function())) {
                int fence = response.indexOf("```");
                predictions.add(prompt + (instruct && fence >= 0 ? response.substring(0, fence) : response));
            }
            return Collections.unmodifiableList(predictions);
        }
    }

    /** MBPP's {@code build_predictions}: {@code extract_code_blocks(r)} for every response. */
    public record MbppPredictions() implements FilterStep {

        private static final Pattern BLOCK = PyRe.compile("(?s)```(?:\\w+)?\\n?(.*?)\\n?```");

        @Override
        public String function() {
            return "!function utils.build_predictions";
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            List<Object> predictions = new ArrayList<>();
            for (String response : strings(responses, function())) {
                predictions.add(extractCodeBlocks(response));
            }
            return Collections.unmodifiableList(predictions);
        }

        /**
         * The first {@code ```...```} block of {@code "```" + text} (the gen_prefix of the instruct variant opens
         * the block); failing that, of the text with every {@code ```python} made {@code ```}; else {@code ""}.
         */
        public static String extractCodeBlocks(String text) {
            List<Object> matches = PyRe.findall(BLOCK, "```" + text);
            if (matches.isEmpty()) {
                matches = PyRe.findall(BLOCK, text.replace("```python", "```"));
            }
            return matches.isEmpty() ? "" : (String) matches.get(0);
        }
    }

    private static List<String> strings(Object responses, String function) {
        if (!(responses instanceof List<?> list)) {
            throw new IllegalArgumentException(
                    function + " needs the document's list of responses (it comes first" + " in its pipeline)");
        }
        List<String> texts = new ArrayList<>();
        for (Object response : list) {
            if (!(response instanceof String text)) {
                throw new IllegalArgumentException(function + ": a response is not a string (upstream: TypeError)");
            }
            texts.add(text);
        }
        return texts;
    }
}
