/**
 * Data parallelism inside one job: a model loaded once per device of the job's lease, answering as one model
 * ({@link ai.assay.worker.engine.replicas.ReplicatedLanguageModel}), and the deterministic split of a call's
 * requests across the replicas ({@link ai.assay.worker.engine.replicas.RequestShards}).
 * <p>Never: loading a model itself (the caller's loader does), choosing devices (the job's
 * {@link ai.assay.worker.engine.DeviceSlots} lease does), native memory, or the job, queue and results packages.
 */
package ai.assay.worker.engine.replicas;
