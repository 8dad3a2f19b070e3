/**
 * Leaderboard endpoints as JSON and CSV, with their cache.
 * <p>Never: page rendering ({@code web}), aggregation (eval-core).
 */
package ai.assay.api.leaderboard;
