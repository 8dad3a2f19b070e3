package ai.assay.worker.engine;

import ai.assay.worker.engine.runtime.ExecutionDevice;
import java.util.Locale;

/**
 * Where one engine is to run: a device, and whether a CUDA device that does not start falls back to the CPU (the
 * {@code auto} of {@code assay.engine.device}) or fails the load.
 */
public record Placement(ExecutionDevice device, boolean cpuFallback) {

    /** The CPU. */
    public static final Placement CPU = new Placement(ExecutionDevice.CPU, false);

    /**
     * {@code assay.engine.device}'s syntax: {@code auto} (CUDA device 0, else the CPU), {@code cpu}, {@code cuda} or
     * {@code cuda:N}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Placement parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("auto")) {
            return new Placement(ExecutionDevice.cuda(0), true);
        }
        return new Placement(ExecutionDevice.parse(value), false);
    }

    /** This placement on CUDA device {@code index} instead, falling back as this one does. */
    public Placement onCuda(int index) {
        return new Placement(ExecutionDevice.cuda(index), cpuFallback);
    }

    @Override
    public String toString() {
        return cpuFallback ? device + " (else the CPU)" : device.toString();
    }
}
