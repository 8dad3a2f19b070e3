/**
 * The one retry policy: backoff with jitter and a cap, the server's Retry-After, and what a retry may cure; used by
 * the judge, the callbacks, the downloads and the worker's database writes.
 * <p>Never: a second backoff scheme anywhere else.
 */
package ai.assay.core.retry;
