/**
 * Small helpers for reading JDBC result sets.
 * <p>Never: SQL of an aggregate (each aggregate keeps its own).
 */
package ai.assay.core.jdbc;
