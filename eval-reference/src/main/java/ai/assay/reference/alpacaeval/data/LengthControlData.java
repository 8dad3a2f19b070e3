package ai.assay.reference.alpacaeval.data;

/** The two files AlpacaEval's length-controlled win rate needs beyond the annotations themselves. */
public record LengthControlData(GamedBaselineRows gamedBaseline, InstructionDifficulty instructionDifficulty) {}
