/**
 * The judge: orchestration of a run's judge calls (identical outputs, the cache, budget, results) over the
 * dispatch of calls (pool, retries, stop).
 * <p>Never: parsing semantics of alpaca_eval (eval-reference), the queue or jobs.
 */
package ai.assay.worker.judge;
