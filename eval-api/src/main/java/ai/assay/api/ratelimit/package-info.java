/**
 * Rate limits per caller: token buckets (Bucket4j) keyed by the API token, or by the client address for requests
 * without one; 429 problems with {@code Retry-After}.
 * <p>Never: who the caller is or what it may do ({@code api.auth}).
 */
package ai.assay.api.ratelimit;
