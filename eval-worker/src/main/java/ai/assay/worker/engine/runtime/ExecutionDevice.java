package ai.assay.worker.engine.runtime;

import java.util.Locale;

/**
 * Where a session runs or where its outputs are kept: the CPU, or CUDA device {@code index}.
 */
public record ExecutionDevice(Kind kind, int index) {

    public enum Kind {
        CPU,
        CUDA
    }

    public static final ExecutionDevice CPU = new ExecutionDevice(Kind.CPU, 0);

    public ExecutionDevice {
        if (index < 0) {
            throw new IllegalArgumentException("device index must be >= 0: " + index);
        }
    }

    public static ExecutionDevice cuda(int index) {
        return new ExecutionDevice(Kind.CUDA, index);
    }

    /** Parses "cpu", "cuda" or "cuda:N". */
    public static ExecutionDevice parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("cpu")) {
            return CPU;
        }
        if (value.equals("cuda")) {
            return cuda(0);
        }
        if (value.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(value.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("unknown device '" + text + "': expected cpu, cuda or cuda:N");
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    /** "cpu" or "cuda:N", as in {@code ModelInfo.device}. */
    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
