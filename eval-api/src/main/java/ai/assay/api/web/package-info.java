/**
 * The web pages (Thymeleaf): leaderboards, comparisons and evaluations as HTML.
 * <p>Never: JSON endpoints or SQL.
 */
package ai.assay.api.web;
