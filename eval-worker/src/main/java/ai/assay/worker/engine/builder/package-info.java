/**
 * Building an ONNX decoder from a Hugging Face checkpoint: the graph for a device, its weights streamed from the
 * memory-mapped safetensors into ONNX external data, and the cache of finished builds (one build per key across
 * workers, written atomically).
 * <p>Never: reading checkpoints' files ({@code checkpoint}), running graphs ({@code runtime}), jobs.
 */
package ai.assay.worker.engine.builder;
