package ai.assay.worker.engine.testmodels;

import ai.assay.worker.engine.checkpoint.DecoderConfig;
import ai.assay.worker.engine.checkpoint.HfCheckpoint;
import ai.assay.worker.engine.checkpoint.RopeScaling;
import java.util.Arrays;

/**
 * The test oracle for graphs built from checkpoints: a plain forward pass of transformers' decoders written from
 * their definitions ({@code modeling_llama}, {@code modeling_mistral}, {@code modeling_qwen2},
 * {@code modeling_qwen3}), independent of any graph builder. Naive loops over the weights, accumulating in double
 * and storing activations as float, as the fp32 models do:
 * <ul>
 *   <li>embedding lookup; per layer {@code x += o_proj(attn(input_layernorm(x)))} then
 *       {@code x += down_proj(silu(gate_proj(h)) * up_proj(h))} with {@code h = post_attention_layernorm(x)};
 *       final {@code model.norm}; logits by {@code lm_head} or the tied embedding matrix;</li>
 *   <li>RMSNorm {@code w * x / sqrt(mean(x²) + eps)};</li>
 *   <li>q/k/v projections (+ bias for Qwen2), Qwen3's per-head RMSNorm of q and k, then rotary positions in the
 *       half-split layout ({@code rotate_half}) with inverse frequencies {@code theta^(-2i/d)}, Llama 3 scaled when
 *       configured;</li>
 *   <li>attention scaled by {@code head_dim^-0.5}, query head h reading key/value head {@code h / (heads/kv)}, causal
 *       over positions, keys where the attention mask is 0 excluded, and for Mistral only keys with
 *       {@code query − key < sliding_window}.</li>
 * </ul>
 * Positions follow {@code generate()}'s {@code cumsum(attention_mask) − 1}, so a left-padded row gives the logits
 * of the unpadded one. Logits at padded positions are NaN: nothing may be compared there.
 */
public final class ReferenceDecoder {

    private final DecoderConfig config;
    private final HfCheckpoint checkpoint;

    public ReferenceDecoder(HfCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
        this.config = checkpoint.config();
    }

    /** Logits [batch][position][vocab] for token ids and a 0/1 attention mask of the same shape. */
    public float[][][] logits(int[][] tokens, int[][] attentionMask) {
        float[][][] out = new float[tokens.length][][];
        float[] embed = weights("model.embed_tokens.weight");
        float[] head = config.tieWordEmbeddings() ? embed : weights("lm_head.weight");
        for (int b = 0; b < tokens.length; b++) {
            out[b] = row(tokens[b], attentionMask[b], embed, head);
        }
        return out;
    }

    /** Logits of one unpadded row. */
    public float[][] logits(int[] tokens) {
        int[] mask = new int[tokens.length];
        Arrays.fill(mask, 1);
        return logits(new int[][] {tokens}, new int[][] {mask})[0];
    }

    private float[][] row(int[] tokens, int[] mask, float[] embed, float[] head) {
        int n = tokens.length;
        int hidden = config.hiddenSize();
        int[] positions = new int[n];
        int seen = 0;
        for (int t = 0; t < n; t++) {
            seen += mask[t];
            positions[t] = mask[t] == 1 ? seen - 1 : 1;
        }
        float[][] x = new float[n][];
        for (int t = 0; t < n; t++) {
            x[t] = Arrays.copyOfRange(embed, tokens[t] * hidden, (tokens[t] + 1) * hidden);
        }
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            String p = "model.layers." + layer + ".";
            float[][] attention = attention(p, x, positions, mask);
            for (int t = 0; t < n; t++) {
                add(x[t], attention[t]);
            }
            float[] postNorm = weights(p + "post_attention_layernorm.weight");
            float[] gate = weights(p + "mlp.gate_proj.weight");
            float[] up = weights(p + "mlp.up_proj.weight");
            float[] down = weights(p + "mlp.down_proj.weight");
            for (int t = 0; t < n; t++) {
                float[] h = rmsNorm(x[t], postNorm);
                float[] g = linear(h, gate, null, config.intermediateSize());
                float[] u = linear(h, up, null, config.intermediateSize());
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (silu(g[i]) * u[i]);
                }
                add(x[t], linear(g, down, null, hidden));
            }
        }
        float[] finalNorm = weights("model.norm.weight");
        float[][] logits = new float[n][];
        for (int t = 0; t < n; t++) {
            if (mask[t] == 0) {
                logits[t] = new float[config.vocabSize()];
                Arrays.fill(logits[t], Float.NaN);
                continue;
            }
            logits[t] = linear(rmsNorm(x[t], finalNorm), head, null, config.vocabSize());
        }
        return logits;
    }

    private float[][] attention(String p, float[][] x, int[] positions, int[] mask) {
        int n = x.length;
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int d = config.headDim();
        float[] inputNorm = weights(p + "input_layernorm.weight");
        float[] wq = weights(p + "self_attn.q_proj.weight");
        float[] wk = weights(p + "self_attn.k_proj.weight");
        float[] wv = weights(p + "self_attn.v_proj.weight");
        float[] wo = weights(p + "self_attn.o_proj.weight");
        float[] bq = config.qkvBias() ? weights(p + "self_attn.q_proj.bias") : null;
        float[] bk = config.qkvBias() ? weights(p + "self_attn.k_proj.bias") : null;
        float[] bv = config.qkvBias() ? weights(p + "self_attn.v_proj.bias") : null;
        float[] qNorm = config.qkNorm() ? weights(p + "self_attn.q_norm.weight") : null;
        float[] kNorm = config.qkNorm() ? weights(p + "self_attn.k_norm.weight") : null;
        double[] invFreq = inverseFrequencies(d, config.ropeTheta(), config.ropeScaling());
        float[][] q = new float[n][];
        float[][] k = new float[n][];
        float[][] v = new float[n][];
        for (int t = 0; t < n; t++) {
            float[] h = rmsNorm(x[t], inputNorm);
            q[t] = linear(h, wq, bq, heads * d);
            k[t] = linear(h, wk, bk, kvHeads * d);
            v[t] = linear(h, wv, bv, kvHeads * d);
            for (int head = 0; head < heads; head++) {
                rotateHead(q[t], head * d, d, qNorm, positions[t], invFreq);
            }
            for (int head = 0; head < kvHeads; head++) {
                rotateHead(k[t], head * d, d, kNorm, positions[t], invFreq);
            }
        }
        int group = heads / kvHeads;
        double scale = 1.0 / Math.sqrt(d);
        Integer window = config.slidingWindow();
        float[][] out = new float[n][];
        for (int t = 0; t < n; t++) {
            float[] context = new float[heads * d];
            for (int head = 0; head < heads; head++) {
                int kvHead = head / group;
                double[] scores = new double[n];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < n; s++) {
                    boolean visible = mask[t] == 1
                            && mask[s] == 1
                            && positions[s] <= positions[t]
                            && (window == null || positions[t] - positions[s] < window);
                    if (!visible) {
                        scores[s] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += (double) q[t][head * d + i] * k[s][kvHead * d + i];
                    }
                    scores[s] = dot * scale;
                    max = Math.max(max, scores[s]);
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    continue; // a padded query: sees nothing, its context stays zero
                }
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    scores[s] = scores[s] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(scores[s] - max);
                    sum += scores[s];
                }
                for (int i = 0; i < d; i++) {
                    double acc = 0;
                    for (int s = 0; s < n; s++) {
                        acc += scores[s] / sum * v[s][kvHead * d + i];
                    }
                    context[head * d + i] = (float) acc;
                }
            }
            out[t] = linear(context, wo, null, config.hiddenSize());
        }
        return out;
    }

    /** Qwen3's per-head norm (where given), then rotary positions on one head of {@code v} at {@code offset}. */
    private void rotateHead(float[] v, int offset, int d, float[] norm, int position, double[] invFreq) {
        if (norm != null) {
            float[] normed = rmsNorm(Arrays.copyOfRange(v, offset, offset + d), norm);
            System.arraycopy(normed, 0, v, offset, d);
        }
        int half = d / 2;
        for (int i = 0; i < half; i++) {
            double angle = position * invFreq[i];
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            double a = v[offset + i];
            double b = v[offset + half + i];
            v[offset + i] = (float) (a * cos - b * sin);
            v[offset + half + i] = (float) (b * cos + a * sin);
        }
    }

    /**
     * {@code theta^(-2i/d)} for i below d/2; with Llama 3 scaling, frequencies whose wavelength {@code 2π/f} exceeds
     * {@code original/low_freq_factor} are divided by {@code factor}, those under {@code original/high_freq_factor}
     * kept, and those between mixed: {@code (1 − s)·f/factor + s·f} with
     * {@code s = (original/wavelength − low) / (high − low)}.
     */
    public static double[] inverseFrequencies(int headDim, double theta, RopeScaling scaling) {
        double[] f = new double[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = 1.0 / Math.pow(theta, 2.0 * i / headDim);
            if (scaling == null) {
                continue;
            }
            double wavelength = 2 * Math.PI / f[i];
            double original = scaling.originalMaxPositionEmbeddings();
            if (wavelength > original / scaling.lowFreqFactor()) {
                f[i] = f[i] / scaling.factor();
            } else if (wavelength >= original / scaling.highFreqFactor()) {
                double s = (original / wavelength - scaling.lowFreqFactor())
                        / (scaling.highFreqFactor() - scaling.lowFreqFactor());
                f[i] = (1 - s) * f[i] / scaling.factor() + s * f[i];
            }
        }
        return f;
    }

    private float[] rmsNorm(float[] x, float[] weight) {
        double squares = 0;
        for (float v : x) {
            squares += (double) v * v;
        }
        double inverse = 1.0 / Math.sqrt(squares / x.length + config.rmsNormEps());
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (weight[i] * (x[i] * inverse));
        }
        return out;
    }

    /** {@code x · Wᵀ + b} for W stored [out][in] row-major, as torch's Linear keeps it. */
    private static float[] linear(float[] x, float[] w, float[] bias, int outputs) {
        float[] y = new float[outputs];
        for (int o = 0; o < outputs; o++) {
            double acc = bias == null ? 0 : bias[o];
            for (int i = 0; i < x.length; i++) {
                acc += (double) w[o * x.length + i] * x[i];
            }
            y[o] = (float) acc;
        }
        return y;
    }

    private static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    private static void add(float[] into, float[] delta) {
        for (int i = 0; i < into.length; i++) {
            into[i] += delta[i];
        }
    }

    private float[] weights(String name) {
        return checkpoint.tensor(name).toFloats();
    }
}
