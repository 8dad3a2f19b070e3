package ai.assay.core.alpacaeval.data;

/**
 * One of AlpacaEval's instructions with its reference answer.
 *
 * @param index the position in the eval set (0 to 804): the example id of AlpacaEval tasks
 */
public record EvalSetEntry(int index, String instruction, String output, String generator, String dataset) {}
