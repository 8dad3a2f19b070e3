/**
 * The API process itself: settings, OpenAPI, strict JSON, queue metrics.
 * <p>Never: endpoints.
 */
package ai.assay.api.system;
