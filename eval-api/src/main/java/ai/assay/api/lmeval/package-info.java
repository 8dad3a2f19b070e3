/**
 * lm-eval endpoints: imports of lm-eval runs, exports in lm-eval's format, per-sample scores and task previews.
 * <p>Never: prompt or metric semantics (eval-reference).
 */
package ai.assay.api.lmeval;
