package ai.assay.worker.engine.runtime;

import org.bytedeco.onnxruntime.Value;

/**
 * A batch's KV cache, held in ORT-owned memory on the session's device: one [batch, kv heads, length, head size]
 * tensor per past input. Operations of {@link DecoderRunner} that take a cache consume it; {@link #close()} frees
 * one that is no longer needed.
 */
public final class KvCache implements AutoCloseable {

    private Value[] values;
    private boolean read;
    private final int batch;
    private final int length;

    KvCache(Value[] values, int batch, int length) {
        for (Value value : values) {
            value.retainReference(); // outlive the step's PointerScope
        }
        this.values = values;
        this.batch = batch;
        this.length = length;
    }

    public int batch() {
        return batch;
    }

    /** The time axis: the width of the attention mask so far. */
    public int length() {
        return length;
    }

    /**
     * The tensors, for the one run that reads them: a value bound as an input of one run crashes the process when
     * bound in another, so a second read is refused (copy the rows of a cache that must feed two runs:
     * {@link DecoderRunner#copyRows}).
     */
    Value[] values() {
        if (values == null) {
            throw new IllegalStateException("KV cache already consumed or closed");
        }
        if (read) {
            throw new IllegalStateException("KV cache already read by a run; it cannot feed another");
        }
        read = true;
        return values;
    }

    @Override
    public void close() {
        if (values != null) {
            for (Value value : values) {
                value.releaseReference();
            }
            values = null;
        }
    }
}
