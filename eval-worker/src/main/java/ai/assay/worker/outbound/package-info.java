/**
 * Calls on a submitter's behalf: HTTP clients that connect only to addresses the outbound guard allowed
 * ({@link ai.assay.worker.outbound.GuardedHttpClients}), and the reading of submitted resources (a {@code file:}
 * under the model roots or an {@code http(s):} URL), bounded in size and never quoted in errors
 * ({@link ai.assay.worker.outbound.SubmittedResources}).
 * <p>Never: what a resource means (each task family parses its own), or calls the operator configured (the judge,
 * dataset and task-file downloads), which go where the operator says.
 */
package ai.assay.worker.outbound;
