package ai.assay.worker.engine.runtime;

import org.bytedeco.onnxruntime.Value;

/** Per scored position: the target token's log-probability and whether it was the argmax. */
public record TokenScores(float[] logProbs, boolean[] greedy) {

    /** Reads the score-tokens graph's outputs ({@link HelperGraphs#scoreTokens}): float logprob, bool greedy. */
    static TokenScores read(Value logProbs, Value greedyFlags, int count) {
        float[] values = new float[count];
        logProbs.GetTensorMutableDataFloat().get(values);
        byte[] flags = new byte[count];
        greedyFlags.GetTensorMutableDataByte().get(flags);
        boolean[] greedy = new boolean[count];
        for (int i = 0; i < count; i++) {
            greedy[i] = flags[i] != 0;
        }
        return new TokenScores(values, greedy);
    }
}
