/**
 * Chat templates as Hugging Face transformers renders them ({@code apply_chat_template(..., tokenize=False)}): the
 * template a model's tokenizer configuration carries, compiled in the {@code TRANSFORMERS} Jinja dialect and given
 * the messages, the generation prompt flag and the special tokens. Both services render with it: the worker for
 * its prompts, the API for a task preview with a template.
 * <p>Never: reading model files (the worker's {@code engine.prompt} reads {@code tokenizer_config.json}), Spring,
 * JDBC, HTTP.
 */
package ai.assay.reference.chat;
