/**
 * Who may call the API: bearer tokens with scopes ({@code read}, {@code submit}, {@code admin}), stored only as
 * hashes; the rule table of which request needs which scope; the Spring Security filter chain; the bootstrap token;
 * {@code /admin/tokens}; the web pages' sign-in cookie; 401 and 403 as problem details.
 * <p>Never: what a request does once it is allowed (the feature packages), rate limits ({@code api.ratelimit}), the
 * audit trail ({@code api.audit}).
 */
package ai.assay.api.auth;
