package ai.assay.worker.engine.builder;

import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.checkpoint.DecoderConfig;
import ai.assay.worker.engine.checkpoint.DecoderWeights;
import ai.assay.worker.engine.checkpoint.LoraAdapter;
import ai.assay.worker.engine.checkpoint.Tensor;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint with a LoRA adapter merged into it, as PEFT's {@code merge_and_unload} merges it: each adapted weight
 * becomes {@code W + scale · (B·A)}, every other tensor is the checkpoint's own (its memory mapping, untouched).
 * <p>A merged tensor is computed when it is asked for, one output row at a time, into a fresh off-heap buffer of
 * float32 (the only row on the Java heap is the one being computed; A and B, r × (in + out) values, are read as
 * they are mapped). The buffer is released when the reader drops it, so a build holds merged tensors only as long as
 * the graph writer holds them: it writes each to the data file and moves on (the fused writer holds q, k and v, or
 * gate and up, together to pack them, which is why each merged tensor has a buffer of its own). Until the collector
 * frees them, released
 * buffers count against the JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize}, the heap's maximum unless
 * set), which bounds how much of them can pile up.
 * <p>Arithmetic: the base weight is widened to float32 exactly from its dtype (fp32, fp16 or bf16), the product
 * {@code Σₖ B[o,k]·A[k,i]} is accumulated in double and scaled, and the sum with the weight is rounded once to float32.
 * PEFT merges in the weight's own dtype: it computes the delta in float32 and adds it to a bf16 or fp16 weight in
 * that dtype, rounding every merged weight to 8 or 11 significant bits. So for an fp32 checkpoint the two agree to
 * float32 rounding; for a bf16 or fp16 checkpoint this graph's merged weights differ from those of a model merged
 * and saved by PEFT by up to half a unit in the last place of that dtype (2⁻⁹ of the weight for bf16) in the
 * float32 graph, and are closer to the unmerged adapter's computation. Logits compared with a PEFT-merged
 * half-precision model therefore agree only to that precision, not to float32's. A graph in fp16 or bf16 (the fused
 * CUDA variant) rounds the merged float32 weight once more, to its type, when it is written.
 */
final class LoraMergedWeights implements DecoderWeights {

    private final DecoderWeights base;
    private final LoraAdapter adapter;

    /**
     * @throws ModelLoadException when a merged tensor would not fit one buffer (2 GiB in float32: an untied
     *     {@code lm_head} of a 128K vocabulary at hidden size 4096 is the case that hits it), before anything is built
     */
    LoraMergedWeights(DecoderWeights base, LoraAdapter adapter) {
        for (String weight : adapter.adaptedWeights()) {
            List<Long> shape = base.tensor(weight).shape();
            long bytes = shape.get(0) * shape.get(1) * 4;
            if (bytes > Integer.MAX_VALUE) {
                throw new ModelLoadException("the adapter changes " + weight + ", whose merged float32 tensor " + shape
                        + " would be " + bytes + " bytes, above the 2 GiB one merged tensor may hold");
            }
        }
        this.base = base;
        this.adapter = adapter;
    }

    @Override
    public DecoderConfig config() {
        return base.config();
    }

    @Override
    public Tensor tensor(String name) {
        Tensor weight = base.tensor(name);
        Optional<LoraAdapter.Delta> delta = adapter.delta(name);
        return delta.isEmpty() ? weight : merge(weight, delta.get());
    }

    static Tensor merge(Tensor weight, LoraAdapter.Delta delta) {
        int out = Math.toIntExact(weight.shape().get(0));
        int in = Math.toIntExact(weight.shape().get(1));
        int r = Math.toIntExact(delta.a().shape().get(0));
        ByteBuffer merged = ByteBuffer.allocateDirect(Math.multiplyExact(Math.multiplyExact(out, in), 4))
                .order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer w = weight.data();
        ByteBuffer a = delta.a().data();
        ByteBuffer b = delta.b().data();
        double scale = delta.scale();
        double[] row = new double[in];
        double[] bRow = new double[r];
        for (int o = 0; o < out; o++) {
            Arrays.fill(row, 0);
            for (int k = 0; k < r; k++) {
                bRow[k] = value(b, delta.b().dtype(), (long) o * r + k);
            }
            for (int k = 0; k < r; k++) {
                double c = bRow[k];
                if (c == 0) {
                    continue;
                }
                long aRow = (long) k * in;
                for (int i = 0; i < in; i++) {
                    row[i] += c * value(a, delta.a().dtype(), aRow + i);
                }
            }
            long wRow = (long) o * in;
            for (int i = 0; i < in; i++) {
                merged.putFloat((float) (value(w, weight.dtype(), wRow + i) + row[i] * scale));
            }
        }
        merged.flip();
        return new Tensor(weight.name(), TensorDtype.F32, weight.shape(), weight.file(), merged.asReadOnlyBuffer());
    }

    private static double value(ByteBuffer bytes, TensorDtype dtype, long index) {
        return switch (dtype) {
            case F32 -> bytes.getFloat(Math.toIntExact(index * 4));
            case F16 -> TensorDtype.halfToFloat(bytes.getShort(Math.toIntExact(index * 2)));
            case BF16 -> TensorDtype.bfloat16ToFloat(bytes.getShort(Math.toIntExact(index * 2)));
        };
    }
}
