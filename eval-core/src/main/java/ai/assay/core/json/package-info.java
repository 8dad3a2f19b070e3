/**
 * JSON in database columns: how values are written to and read from {@code jsonb}.
 * <p>Never: SQL of an aggregate.
 */
package ai.assay.core.json;
