package ai.assay.api.auth;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A filter of another feature (the audit trail, rate limits) that runs inside the security filter chain, where it
 * can see who is calling. Its bean is not a servlet {@link Filter} itself, so the container does not run it a
 * second time outside the chain.
 */
public interface SecurityChainFilter {

    /** Where in the chain the filter runs. */
    enum Place {
        /** Before the token is checked: the filter sees every request, also those refused with a 401. */
        BEFORE_AUTHENTICATION,
        /** After the token is checked and before the scope is: the caller is known, nothing is decided yet. */
        AFTER_AUTHENTICATION
    }

    Place place();

    /** What the filter does with one request; it calls {@code chain.doFilter} to let the request go on. */
    void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException;

    /** The filter as the chain runs it: once per request, not again on the container's error forwards. */
    default Filter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                SecurityChainFilter.this.filter(request, response, chain);
            }

            /** Each feature's own mark: the filters share this class, and one must not skip the others. */
            @Override
            protected String getAlreadyFilteredAttributeName() {
                return SecurityChainFilter.this.getClass().getName() + ".FILTERED";
            }
        };
    }
}
