/**
 * lm-evaluation-harness's answer extraction and scoring of generated text, as its pinned commit computes them:
 * the cut of a generation at its stop strings ({@link ai.assay.reference.lmeval.filters.GeneratedText}), the
 * filters of a task's {@code filter_list} by their registry names ({@link ai.assay.reference.lmeval.filters.FilterStep},
 * {@link ai.assay.reference.lmeval.filters.FilterPipeline}), the {@code exact_match} metric
 * ({@link ai.assay.reference.lmeval.filters.ExactMatch}) and a {@code generate_until} document's metrics under
 * each filter's name ({@link ai.assay.reference.lmeval.filters.GenerateUntilScoring}); the task functions of
 * {@code !function} filters that have a Java implementation ({@link ai.assay.reference.lmeval.filters.BbhZeroshotFilters}).
 * <p>Built from the raw YAML structures of a task file (lists and maps as the YAML reader gives them), so it needs
 * nothing of how the task was loaded.
 * <p>Never: Spring, JDBC, HTTP, the engine, or a model call: responses come in as text.
 */
package ai.assay.reference.lmeval.filters;
