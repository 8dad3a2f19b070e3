package ai.assay.worker.engine.runtime;

/**
 * The result of a decoder run for generation.
 *
 * @param cache  the new KV cache (the caller owns it)
 * @param logits one row of float logits per requested position, rows × vocab
 */
public record DecodeStep(KvCache cache, float[] logits, int vocabSize) {}
