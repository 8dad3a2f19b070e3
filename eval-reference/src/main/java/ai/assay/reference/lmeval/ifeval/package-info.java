/**
 * IFEval as lm-evaluation-harness scores it ({@code lm_eval/tasks/ifeval/}): the 25 instruction checkers keyed by
 * their registry ids ({@link ai.assay.reference.lmeval.ifeval.Instructions}), strict and loose following and the
 * four metrics with their aggregation ({@link ai.assay.reference.lmeval.ifeval.IfEvalScoring}), and what the
 * checkers rest on: Python's regex, {@code str} and {@code json} semantics, nltk's word counting, Treebank word
 * tokenizer and Punkt sentence tokenizer, and {@code langdetect} (Cybozu's Java library it was ported from).
 * <p>Never: prompts, generation, the task-file wiring ({@code !function utils.process_results} is the lead's
 * {@code TaskFunctions}), or anything needing Spring, JDBC or HTTP; upstream's keyword list is not copied.
 */
package ai.assay.reference.lmeval.ifeval;
