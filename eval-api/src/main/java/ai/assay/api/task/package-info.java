/**
 * The task catalog endpoint.
 */
package ai.assay.api.task;
