/**
 * The OpenAI-compatible client of the judge: one call, its response and logprobs, and its failures.
 * <p>Never: retries (the judge's dispatch owns them), orchestration.
 */
package ai.assay.worker.judge.client;
