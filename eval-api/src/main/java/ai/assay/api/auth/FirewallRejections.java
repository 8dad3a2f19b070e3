package ai.assay.api.auth;

import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Requests that Spring Security's firewall refuses (control characters in a header, encoded slashes or dots in the
 * path, unusual methods) as 400 {@code malformed-request} problems instead of the container's 500.
 */
@Component
class FirewallRejections implements RequestRejectedHandler {

    private final HandlerExceptionResolver exceptionResolver;

    FirewallRejections(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
        this.exceptionResolver = exceptionResolver;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e) {
        exceptionResolver.resolveException(request, response, null, problemOf(request));
    }

    private static ProblemException problemOf(HttpServletRequest request) {
        return new ProblemException(
                ProblemKind.MALFORMED_REQUEST,
                "the request was refused before it reached the API: its path or a header holds characters that are"
                        + " never valid there (control characters, encoded slashes or dots)");
    }

    /**
     * Spring Security's strict firewall, with query parameters left to the API: it would refuse them only when
     * read (inside a handler, as a 500), and {@code UnstorableParameterGuard} already refuses the one character
     * that does harm there (NUL) as an {@code invalid-parameter} naming the parameter.
     */
    @Bean
    static HttpFirewall apiFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedParameterNames(name -> true);
        firewall.setAllowedParameterValues(value -> true);
        return firewall;
    }
}
