/**
 * The API service: submissions, reads, leaderboards, comparisons, imports, exports and the web pages.
 */
package ai.assay.api;
