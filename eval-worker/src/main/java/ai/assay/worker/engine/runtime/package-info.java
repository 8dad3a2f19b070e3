/**
 * The only code that touches native memory: ONNX Runtime sessions, IoBinding, tensors, the KV cache and the
 * execution device, through the JavaCPP presets.
 * <p>Never: decoding policy, tokenizers, the job, queue or judge packages.
 */
package ai.assay.worker.engine.runtime;
