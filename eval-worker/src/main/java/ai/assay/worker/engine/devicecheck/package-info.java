/**
 * The device check: a command-line program (no Spring) that writes a random-weight checkpoint of a real model shape,
 * builds it with the checkpoint builder for a device, checks where the KV cache lives, and measures prefill, decode
 * and scoring rates and the greedy tokens of fixed prompts into a JSON file, which {@code deploy/gpu-check} compares
 * with transformers on the same GPU.
 * <p>Never: the job, queue, judge or results packages; native memory (only {@code runtime}'s API); a model loaded for
 * a job.
 */
package ai.assay.worker.engine.devicecheck;
