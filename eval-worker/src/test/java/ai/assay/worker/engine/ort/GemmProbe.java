package ai.assay.worker.engine.ort;

import static org.bytedeco.onnxruntime.global.onnxruntime.OrtArenaAllocator;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtMemTypeDefault;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.onnxruntime.AllocatorWithDefaultOptions;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.OrtAllocator;
import org.bytedeco.onnxruntime.Value;

/** Times a chain of square MatMuls in ORT: the fp32 GEMM rate the benchmark compares the engine with. */
public final class GemmProbe {

    private GemmProbe() {
    }

    /** @return FLOP/s of a graph with input "x" [size,size] and {@code matmuls} chained MatMuls to output "y" */
    public static double rate(byte[] graph, int size, int matmuls, int threads) {
        try (NativeSession session = NativeSession.open(graph, ExecutionDevice.CPU, threads);
                PointerScope scope = new PointerScope()) {
            OrtAllocator allocator = new OrtAllocator(new AllocatorWithDefaultOptions().asUnownedAllocator());
            MemoryInfo cpu = MemoryInfo.CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
            Value x = Value.CreateTensor(allocator, new long[] {size, size}, 2, ElementType.FLOAT.code());
            x.GetTensorMutableDataFloat().put(new float[size * size]);
            double best = 0;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                session.runBound(new String[] {"x"}, new Value[] {x}, new String[] {"y"}, new MemoryInfo[] {cpu});
                double seconds = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, 2.0 * size * size * size * matmuls / seconds);
            }
            return best;
        }
    }
}
