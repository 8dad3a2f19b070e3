/**
 * The evaluation aggregate: submitting, reading, cancelling and ending evaluations, all of its SQL in
 * {@link ai.assay.core.evaluation.EvaluationRepository}, and the listeners of an evaluation's end.
 * <p>Never: job leases or claiming (the worker's {@code queue}), per-example results ({@code results}).
 */
package ai.assay.core.evaluation;
