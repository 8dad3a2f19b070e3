package ai.assay.reference.alpacaeval.data;

/**
 * {@code instruction_difficulty.csv}: one difficulty per eval-set instruction, by instruction index. Upstream uses it
 * only to predict win rates against other baselines from stored GLM weights; the length-controlled fit itself reads
 * difficulty from {@link GamedBaselineRows}.
 *
 * @param values difficulty of instruction i at position i (not copied; treat as read-only)
 */
public record InstructionDifficulty(double[] values) {

    public int size() {
        return values.length;
    }

    public double of(int instructionIndex) {
        return values[instructionIndex];
    }
}
