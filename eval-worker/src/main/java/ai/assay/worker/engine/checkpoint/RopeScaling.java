package ai.assay.worker.engine.checkpoint;

/**
 * Llama 3's rotary frequency scaling ({@code rope_scaling.rope_type = "llama3"}, transformers'
 * {@code _compute_llama3_parameters}): wavelengths longer than {@code original/lowFreqFactor} are stretched by
 * {@code factor}, those shorter than {@code original/highFreqFactor} kept, and those between interpolated. The only
 * scaling read; every other type is refused by {@link DecoderConfig}.
 */
public record RopeScaling(
        double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings) {

    public static RopeScaling llama3(
            double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings) {
        return new RopeScaling(factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings);
    }
}
