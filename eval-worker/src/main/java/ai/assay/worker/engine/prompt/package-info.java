/**
 * Text in and out of a model: Hugging Face tokenizers, tokenizer and generation configs, the model's text files
 * and its chat template as {@code apply_chat_template} renders it.
 * <p>Never: ONNX Runtime, the job, queue or judge packages; Jinja itself (eval-reference's {@code jinja}).
 */
package ai.assay.worker.engine.prompt;
