/**
 * The language-model engine's contract: what tasks ask of a model (scoring, generation) and what it answers.
 * <p>Never: the job, queue or judge packages, task semantics.
 */
package ai.assay.worker.engine;
