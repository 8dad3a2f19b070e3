/**
 * lm-eval's code-generation tasks (HumanEval, MBPP and their EvalPlus variants) as its pinned commit scores them:
 * which tasks run code and their metric functions ({@link ai.assay.reference.lmeval.code.CodeTasks}), the filter
 * functions of their {@code utils.py} ({@link ai.assay.reference.lmeval.code.CodeFilters}), Hugging Face evaluate's
 * {@code code_eval} check ({@link ai.assay.reference.lmeval.code.CheckProgram}, with its script
 * {@code check-program.py} among the resources) and unbiased pass@k estimator
 * ({@link ai.assay.reference.lmeval.code.PassAtK}), a document's scoring
 * ({@link ai.assay.reference.lmeval.code.CodeScoring}), and the contract
 * ({@link ai.assay.reference.lmeval.code.ProgramExecutor}) through which the programs are run.
 * <p>Never: running a program itself (no {@code ProcessBuilder} here), Spring, JDBC, HTTP.
 */
package ai.assay.reference.lmeval.code;
