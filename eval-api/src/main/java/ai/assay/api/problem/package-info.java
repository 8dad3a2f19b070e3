/**
 * Errors as RFC 9457 problem details, and request limits.
 * <p>Never: validation rules of a request (their endpoints' packages).
 */
package ai.assay.api.problem;
