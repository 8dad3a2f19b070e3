package ai.assay.api.auth;

import jakarta.servlet.Filter;

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

    Filter filter();
}
