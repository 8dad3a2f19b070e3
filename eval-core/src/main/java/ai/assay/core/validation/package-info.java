/**
 * Violations of a request, each at a JSON Pointer, as the API reports them.
 * <p>Never: HTTP (eval-api's {@code problem} renders them).
 */
package ai.assay.core.validation;
