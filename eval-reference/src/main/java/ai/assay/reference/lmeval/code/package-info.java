/**
 * lm-eval's code-generation tasks (HumanEval, MBPP and their EvalPlus variants) as its pinned commit scores them:
 * the programs a task builds from the responses, Hugging Face evaluate's {@code code_eval} check and its unbiased
 * pass@k estimator, and the contract ({@link ai.assay.reference.lmeval.code.ProgramExecutor}) through which the
 * programs are run.
 * <p>Never: running a program itself (no {@code ProcessBuilder} here), Spring, JDBC, HTTP.
 */
package ai.assay.reference.lmeval.code;
