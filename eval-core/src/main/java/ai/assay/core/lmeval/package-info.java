/**
 * lm-eval as a task family of the service: the shipped task tree as a catalog of tasks and groups, their options,
 * their documents read through {@code datasets}, and results in lm-eval's export format.
 * <p>Never: prompts, metrics or other semantics of lm-eval (eval-reference's {@code lmeval}), the queue or jobs.
 */
package ai.assay.core.lmeval;
