/**
 * The callback outbox: what an evaluation that ended owes its caller, written in the same transaction as the end.
 * <p>Never: the HTTP delivery (the worker's {@code callback} package).
 */
package ai.assay.core.callback;
