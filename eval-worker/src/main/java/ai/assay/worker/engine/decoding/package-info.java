/**
 * The ONNX Runtime decoder: loading an exported model directory, batching, the KV-cached forward passes of scoring
 * and generation, sampling and stop strings.
 * <p>Never: native memory (only {@code runtime} touches it), tokenizers or chat templates ({@code prompt}), the job,
 * queue or judge packages.
 */
package ai.assay.worker.engine.decoding;
