/**
 * The audit trail: one row per request that could change something (who, what, when, from where, and the answer's
 * status), written by a filter in the security chain so that refused attempts are kept too; {@code /admin/audit}
 * reads it.
 * <p>Never: request bodies or headers (they may hold secrets), what a mutation does (its feature package).
 */
package ai.assay.api.audit;
