package ai.assay.worker.engine.runtime;

import ai.assay.worker.engine.graph.GraphBuilder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Whether an execution device starts in this process, found by opening a one-node graph on it: what a loader asks
 * before it builds a graph for CUDA that a machine without a GPU (or with the CPU-only natives) would then run on
 * the CPU. The answer is kept per device: a provider that did not start does not start later.
 */
public final class DeviceProbe {

    private static final ConcurrentMap<ExecutionDevice, Boolean> STARTS = new ConcurrentHashMap<>();

    private DeviceProbe() {}

    public static boolean starts(ExecutionDevice device) {
        if (!device.isCuda()) {
            return true;
        }
        return STARTS.computeIfAbsent(device, DeviceProbe::open);
    }

    private static boolean open(ExecutionDevice device) {
        GraphBuilder g = new GraphBuilder("assay_probe");
        String x = g.input("x", ElementType.FLOAT.code(), 1L);
        g.output("y", g.op("Identity", x), ElementType.FLOAT.code(), 1L);
        try (NativeSession session = NativeSession.open(g.toBytes(), device, 1)) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
