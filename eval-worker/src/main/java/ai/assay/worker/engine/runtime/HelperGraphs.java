package ai.assay.worker.engine.runtime;

import ai.assay.worker.engine.graph.GraphBuilder;
import ai.assay.worker.engine.graph.GraphBuilder.Attr;

/**
 * Small graphs that run next to the decoder on the same device, so that only the values the engine needs leave
 * it: the logits rows of chosen positions, the log-probabilities of chosen tokens, and the reshuffled KV cache when
 * rows leave or join a batch.
 */
final class HelperGraphs {

    private static final int INT64 = ElementType.INT64.code();
    private static final int FLOAT = ElementType.FLOAT.code();

    private HelperGraphs() {}

    /** logits [B,S,V], rows [N] (flat indices b*S+s) → selected [N,V] as float. */
    static byte[] selectLogits(ElementType logitsType) {
        GraphBuilder g = new GraphBuilder("select_logits");
        String logits = g.input("logits", logitsType.code(), "batch", "sequence", "vocab");
        String rows = g.input("rows", INT64, "rows");
        String selected = g.op("Cast", gatherRows(g, logits, rows), Attr.of("to", FLOAT));
        g.output("selected", selected, FLOAT, "rows", "vocab");
        return g.toBytes();
    }

    /**
     * logits [B,S,V], rows [N], targets [N] → logprob [N] (log-softmax in float32, as lm-eval recommends for
     * reproducible scores) and greedy [N] (the target is the first maximum, as torch.argmax picks).
     */
    static byte[] scoreTokens(ElementType logitsType) {
        GraphBuilder g = new GraphBuilder("score_tokens");
        String logits = g.input("logits", logitsType.code(), "batch", "sequence", "vocab");
        String rows = g.input("rows", INT64, "rows");
        String targets = g.input("targets", INT64, "rows");
        String selected = g.op("Cast", gatherRows(g, logits, rows), Attr.of("to", FLOAT));
        String logSoftmax = g.op("LogSoftmax", selected, Attr.of("axis", -1L));
        String column = g.op("Unsqueeze", targets, g.longConstant(1));
        String picked = g.op("GatherElements", logSoftmax, column, Attr.of("axis", 1L));
        g.output("logprob", g.op("Squeeze", picked, g.longConstant(1)), FLOAT, "rows");
        String argmax = g.op("ArgMax", selected, Attr.of("axis", 1L), Attr.of("keepdims", 0L));
        g.output("greedy", g.op("Equal", argmax, targets), ElementType.BOOL.code(), "rows");
        return g.toBytes();
    }

    /** For each of {@code count} KV tensors [B,H,T,D]: keep rows [R] (axis 0) and time steps [T'] (axis 2). */
    static byte[] selectKv(ElementType kvType, int count) {
        GraphBuilder g = new GraphBuilder("select_kv");
        String[] inputs = new String[count];
        for (int i = 0; i < count; i++) {
            inputs[i] = g.input("kv_" + i, kvType.code(), "batch", "heads", "time", "head_size");
        }
        String rows = g.input("rows", INT64, "rows");
        String times = g.input("times", INT64, "times");
        for (int i = 0; i < count; i++) {
            String kept = g.op("Gather", inputs[i], rows, Attr.of("axis", 0L));
            g.output(
                    "out_" + i,
                    g.op("Gather", kept, times, Attr.of("axis", 2L)),
                    kvType.code(),
                    "rows",
                    "heads",
                    "times",
                    "head_size");
        }
        return g.toBytes();
    }

    /**
     * For each of {@code count} KV tensors [B,H,T,D]: {@code parts} new tensors, part p holding rows [R_p] (which may
     * repeat) at every time step; part p of tensor i is output {@code part<p>_<i>}. One run makes every part, so that
     * the input is read once: a value bound as an input is not fit to be bound again.
     */
    static byte[] copyKvRows(ElementType kvType, int count, int parts) {
        GraphBuilder g = new GraphBuilder("copy_kv_rows");
        String[] inputs = new String[count];
        for (int i = 0; i < count; i++) {
            inputs[i] = g.input("kv_" + i, kvType.code(), "batch", "heads", "time", "head_size");
        }
        for (int p = 0; p < parts; p++) {
            String rows = g.input("rows_" + p, INT64, "rows_" + p);
            for (int i = 0; i < count; i++) {
                g.output(
                        "part" + p + "_" + i,
                        g.op("Gather", inputs[i], rows, Attr.of("axis", 0L)),
                        kvType.code(),
                        "rows_" + p,
                        "heads",
                        "time",
                        "head_size");
            }
        }
        return g.toBytes();
    }

    /**
     * For each of {@code count} pairs of KV tensors: re-index each one's time axis (aligning both to one length;
     * repeated indices fill padding, whose values the attention mask hides) and stack them along the batch.
     */
    static byte[] mergeKv(ElementType kvType, int count) {
        GraphBuilder g = new GraphBuilder("merge_kv");
        String[] a = new String[count];
        String[] b = new String[count];
        for (int i = 0; i < count; i++) {
            a[i] = g.input("a_" + i, kvType.code(), "batch_a", "heads", "time_a", "head_size");
        }
        for (int i = 0; i < count; i++) {
            b[i] = g.input("b_" + i, kvType.code(), "batch_b", "heads", "time_b", "head_size");
        }
        String timesA = g.input("times_a", INT64, "times");
        String timesB = g.input("times_b", INT64, "times");
        for (int i = 0; i < count; i++) {
            String alignedA = g.op("Gather", a[i], timesA, Attr.of("axis", 2L));
            String alignedB = g.op("Gather", b[i], timesB, Attr.of("axis", 2L));
            g.output(
                    "out_" + i,
                    g.op("Concat", alignedA, alignedB, Attr.of("axis", 0L)),
                    kvType.code(),
                    "batch",
                    "heads",
                    "times",
                    "head_size");
        }
        return g.toBytes();
    }

    private static String gatherRows(GraphBuilder g, String logits, String rows) {
        String flat = g.op("Flatten", logits, Attr.of("axis", 2L));
        return g.op("Gather", flat, rows, Attr.of("axis", 0L));
    }
}
