/**
 * Delivers the callback outbox over HTTP, signed, with the kernel's retry policy.
 * <p>Never: writing the outbox (eval-core's {@code callback}).
 */
package ai.assay.worker.callback;
