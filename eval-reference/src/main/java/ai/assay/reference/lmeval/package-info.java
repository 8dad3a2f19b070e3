/**
 * lm-evaluation-harness as it computes its numbers: task files (YAML with {@code include} and {@code !function})
 * and the task tree over them, documents and {@code process_docs}, prompts and few-shot sampling, the requests of
 * {@code multiple_choice} and {@code generate_until} tasks, the task functions, scoring of log-likelihood requests,
 * metrics and their aggregation and stderr.
 * <p>Never: Spring, JDBC, HTTP, dataset downloads (eval-core's {@code datasets} reads the rows and eval-core's
 * {@code lmeval} offers the tasks to the service), or the engine.
 */
package ai.assay.reference.lmeval;
