/**
 * Reading Hugging Face checkpoint directories: {@code config.json} as a decoder description, the safetensors
 * weight files (single or sharded) as memory-mapped, validated tensors, and the manifest and cache key a build
 * from them is recorded under.
 * <p>Never: building or running graphs ({@code graph}, {@code runtime}), tokenizers, copying weights onto the Java
 * heap (only the small-tensor {@code float[]} view), or loading the model for a job.
 */
package ai.assay.worker.engine.checkpoint;
