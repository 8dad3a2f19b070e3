package ai.assay.reference.lmeval.ifeval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What lm-eval's IFEval {@code process_results} returns for one document: per instruction, whether the response
 * follows it strictly ({@code test_instruction_following_strict}) and loosely ({@code _loose}), in the order of
 * {@code instruction_id_list}.
 */
public record IfEvalScore(List<Boolean> instructionsStrict, List<Boolean> instructionsLoose) {

    public static final String PROMPT_LEVEL_STRICT = "prompt_level_strict_acc";
    public static final String INSTRUCTION_LEVEL_STRICT = "inst_level_strict_acc";
    public static final String PROMPT_LEVEL_LOOSE = "prompt_level_loose_acc";
    public static final String INSTRUCTION_LEVEL_LOOSE = "inst_level_loose_acc";

    public IfEvalScore {
        instructionsStrict = List.copyOf(instructionsStrict);
        instructionsLoose = List.copyOf(instructionsLoose);
    }

    /** {@code prompt_level_strict_acc}: every instruction followed strictly ({@code all([])} is true). */
    public boolean promptStrict() {
        return instructionsStrict.stream().allMatch(Boolean::booleanValue);
    }

    /** {@code prompt_level_loose_acc}. */
    public boolean promptLoose() {
        return instructionsLoose.stream().allMatch(Boolean::booleanValue);
    }

    /** The four values under lm-eval's metric names, as {@code process_results} returns them. */
    public Map<String, Object> metrics() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put(PROMPT_LEVEL_STRICT, promptStrict());
        metrics.put(INSTRUCTION_LEVEL_STRICT, instructionsStrict);
        metrics.put(PROMPT_LEVEL_LOOSE, promptLoose());
        metrics.put(INSTRUCTION_LEVEL_LOOSE, instructionsLoose);
        return metrics;
    }
}
