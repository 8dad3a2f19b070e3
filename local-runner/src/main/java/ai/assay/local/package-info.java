/**
 * One process with the API, a worker and an embedded PostgreSQL, for trying Assay on one machine.
 */
package ai.assay.local;
