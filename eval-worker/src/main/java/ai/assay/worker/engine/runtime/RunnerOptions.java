package ai.assay.worker.engine.runtime;

/**
 * @param device     the execution provider: CPU, or CUDA device N
 * @param kvDevice   where ORT allocates the KV cache and logits between runs; the same as {@code device} except in
 *                   the test that shows the start-up check catching a cache that is not where it should be
 * @param threads    intra-op threads of the process's ORT environment (fixed by the first model loaded)
 * @param ioBinding  false runs every graph with plain Run calls (outputs copied to the host): a reference path
 * @param spinWait   whether ORT's threads spin between parallel sections (like threads, fixed by the first model)
 * @param prefillGraph whether to open a second session, of the graph without its logits, for prefills that keep
 *                   only the KV cache (it holds the weights a second time)
 * @param logitsToKeep whether a graph with a {@code logits_to_keep} input computes only the logits a run reads
 *                   (false feeds 0, every position, as for a graph without the input: a reference path)
 */
public record RunnerOptions(
        ExecutionDevice device,
        ExecutionDevice kvDevice,
        int threads,
        boolean ioBinding,
        boolean spinWait,
        boolean prefillGraph,
        boolean logitsToKeep) {

    public static RunnerOptions on(ExecutionDevice device, int threads) {
        return new RunnerOptions(device, device, threads, true, true, false, true);
    }

    public RunnerOptions withIoBinding(boolean enabled) {
        return new RunnerOptions(device, kvDevice, threads, enabled, spinWait, prefillGraph, logitsToKeep);
    }

    public RunnerOptions withKvDevice(ExecutionDevice where) {
        return new RunnerOptions(device, where, threads, ioBinding, spinWait, prefillGraph, logitsToKeep);
    }

    public RunnerOptions withSpinWait(boolean enabled) {
        return new RunnerOptions(device, kvDevice, threads, ioBinding, enabled, prefillGraph, logitsToKeep);
    }

    public RunnerOptions withPrefillGraph(boolean enabled) {
        return new RunnerOptions(device, kvDevice, threads, ioBinding, spinWait, enabled, logitsToKeep);
    }

    public RunnerOptions withLogitsToKeep(boolean enabled) {
        return new RunnerOptions(device, kvDevice, threads, ioBinding, spinWait, prefillGraph, enabled);
    }
}
