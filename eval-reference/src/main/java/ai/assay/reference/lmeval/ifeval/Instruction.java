package ai.assay.reference.lmeval.ifeval;

/**
 * One IFEval instruction, built from its registry id and kwargs ({@link Instructions#build}): lm-eval's
 * {@code Instruction.check_following(value)}.
 */
public interface Instruction {

    /** The registry id, e.g. {@code punctuation:no_comma}. */
    String id();

    /** Whether the response follows the instruction (upstream's {@code check_following}). */
    boolean isFollowedBy(String response);
}
