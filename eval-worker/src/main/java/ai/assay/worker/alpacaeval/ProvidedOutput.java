package ai.assay.worker.alpacaeval;

/** One answer from a model_outputs.json that came with the task instead of being generated here. */
record ProvidedOutput(String instruction, String output, String generator, String dataset) {}
