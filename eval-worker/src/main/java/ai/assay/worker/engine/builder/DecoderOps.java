package ai.assay.worker.engine.builder;

import ai.assay.worker.engine.graph.GraphBuilder;
import ai.assay.worker.engine.graph.GraphBuilder.Attr;

/** The operators both decoder graphs write the same way: RMSNorm, a linear layer, the kept positions of logits. */
final class DecoderOps {

    private DecoderOps() {}

    /** ORT's RMSNorm kernel over the last axis. */
    static String rmsNorm(GraphBuilder g, String x, String weight, double epsilon) {
        return g.op(
                "SimplifiedLayerNormalization",
                new String[] {x, weight},
                Attr.of("axis", -1L),
                Attr.of("epsilon", (float) epsilon));
    }

    /** {@code x · Wᵀ + b} with W in the checkpoint's [out, in] order (no transpose at build time). */
    static String linear(GraphBuilder g, String x, String weight, String bias) {
        return bias == null
                ? g.op("Gemm", x, weight, Attr.of("transB", 1L))
                : g.op("Gemm", new String[] {x, weight, bias}, Attr.of("transB", 1L));
    }

    /**
     * The last {@code keep} positions of [B, S, H] states as transformers' {@code logits_to_keep} slices them (0:
     * every position).
     */
    static String lastPositions(GraphBuilder g, String states, String keep) {
        return g.op("Slice", new String[] {
            states,
            g.op("Unsqueeze", g.op("Neg", keep), g.longConstant(0)),
            g.longConstant(Long.MAX_VALUE),
            g.longConstant(1)
        });
    }
}
