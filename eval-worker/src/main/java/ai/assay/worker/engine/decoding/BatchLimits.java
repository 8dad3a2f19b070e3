package ai.assay.worker.engine.decoding;

/**
 * How big batches may get.
 *
 * @param maxBatchSize   rows decoded together
 * @param maxBatchTokens token positions in one prefill or scoring pass
 * @param kvCacheBytes   device memory the KV cache of a generation batch may take
 * @param refillSlots    free rows that trigger a refill while rows are still running (a prefill and a cache merge
 *                       cost about one step each, so refilling one row at a time would cost more than it saves)
 */
record BatchLimits(int maxBatchSize, int maxBatchTokens, long kvCacheBytes, int refillSlots) {

    static BatchLimits of(int maxBatchSize, int maxBatchTokens, long kvCacheBytes) {
        return new BatchLimits(maxBatchSize, maxBatchTokens, kvCacheBytes, Math.max(1, maxBatchSize / 8));
    }
}
