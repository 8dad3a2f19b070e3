package ai.assay.worker.engine.runtime;

/**
 * The token inputs of one decoder run, row-major.
 *
 * @param batch         rows
 * @param length        new tokens per row (the sequence axis of input_ids)
 * @param inputIds      batch × length
 * @param maskLength    the attention mask's width: past plus new tokens
 * @param attentionMask batch × maskLength, 1 for real tokens
 * @param positionIds   batch × length, or null for graphs without position_ids
 */
public record DecoderBatch(
        int batch, int length, long[] inputIds, int maskLength, long[] attentionMask, long[] positionIds) {

    public DecoderBatch {
        if (inputIds.length != (long) batch * length) {
            throw new IllegalArgumentException(
                    "input_ids has " + inputIds.length + " values, not " + batch + "×" + length);
        }
        if (attentionMask.length != (long) batch * maskLength) {
            throw new IllegalArgumentException(
                    "attention_mask has " + attentionMask.length + " values, not " + batch + "×" + maskLength);
        }
        if (positionIds != null && positionIds.length != inputIds.length) {
            throw new IllegalArgumentException("position_ids and input_ids differ in size");
        }
    }
}
