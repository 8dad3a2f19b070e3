package ai.assay.worker.engine.runtime;

import static org.bytedeco.onnxruntime.global.onnxruntime.OrtArenaAllocator;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtMemTypeDefault;

import ai.assay.worker.engine.graph.GraphBuilder;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.onnxruntime.AllocatorWithDefaultOptions;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.OrtAllocator;
import org.bytedeco.onnxruntime.Value;

/**
 * Times one fp32 MatMul [m,k]×[k,n] in ORT, the fastest of a few runs: with m = k = n large it gives the attainable
 * GEMM rate, with m = 1 and a large [k,n] the rate at which ORT's kernels stream weights from memory (what decoding
 * at batch 1 does).
 */
public final class GemmProbe {

    private GemmProbe() {}

    /** @return the fastest run's seconds (ORT's threads without spin-waiting, as the benchmark runs the engine) */
    public static double matmulSeconds(int m, int k, int n, int runs, int threads) {
        GraphBuilder g = new GraphBuilder("matmul");
        String a = g.input("a", ElementType.FLOAT.code(), (long) m, (long) k);
        String b = g.input("b", ElementType.FLOAT.code(), (long) k, (long) n);
        g.output("y", g.op("MatMul", a, b), ElementType.FLOAT.code(), (long) m, (long) n);
        return fastestRun(g, runs, threads, new int[][] {{m, k}, {k, n}});
    }

    /**
     * As {@link #matmulSeconds}, with [k,n] a constant of the graph (ORT packs such weights once at load, as it does
     * a model's) and only [m,k] an input: the path the engine's matrix products take.
     */
    public static double constantWeightsSeconds(int m, int k, int n, int runs, int threads) {
        GraphBuilder g = new GraphBuilder("matmul_constant");
        String a = g.input("a", ElementType.FLOAT.code(), (long) m, (long) k);
        float[] weights = new float[k * n];
        Arrays.fill(weights, 0.001f);
        String b = g.floats("b", new long[] {k, n}, weights);
        g.output("y", g.op("MatMul", a, b), ElementType.FLOAT.code(), (long) m, (long) n);
        return fastestRun(g, runs, threads, new int[][] {{m, k}});
    }

    /** Runs the graph's output "y" from filled inputs "a" (and "b"), of the shapes given, and times the fastest. */
    private static double fastestRun(GraphBuilder graph, int runs, int threads, int[][] inputShapes) {
        OrtEnvironment.spinWait(false);
        String[] names = Arrays.copyOf(new String[] {"a", "b"}, inputShapes.length);
        try (NativeSession session = NativeSession.open(graph.toBytes(), ExecutionDevice.CPU, threads);
                PointerScope scope = new PointerScope()) {
            OrtAllocator allocator = new OrtAllocator(new AllocatorWithDefaultOptions().asUnownedAllocator());
            MemoryInfo cpu = MemoryInfo.CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
            Value[] inputs = new Value[inputShapes.length];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = filled(allocator, inputShapes[i][0], inputShapes[i][1]);
            }
            double best = Double.MAX_VALUE;
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                session.runBound(names, inputs, new String[] {"y"}, new MemoryInfo[] {cpu});
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return best;
        }
    }

    private static Value filled(OrtAllocator allocator, int rows, int cols) {
        Value value = Value.CreateTensor(allocator, new long[] {rows, cols}, 2, ElementType.FLOAT.code());
        float[] row = new float[cols];
        Arrays.fill(row, 0.001f);
        for (int r = 0; r < rows; r++) {
            value.GetTensorMutableDataFloat().position((long) r * cols).put(row);
        }
        return value;
    }
}
