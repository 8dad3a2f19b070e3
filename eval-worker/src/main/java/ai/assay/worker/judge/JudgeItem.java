package ai.assay.worker.judge;

/**
 * One example to judge: the reference's output against the evaluated model's, for one instruction (alpaca_eval's
 * output_1 and output_2).
 */
public record JudgeItem(
        String exampleId,
        String instruction,
        String referenceOutput,
        String referenceGenerator,
        String modelOutput,
        String modelGenerator) {}
