package ai.assay.api.ratelimit;

import ai.assay.api.auth.ApiToken;
import ai.assay.api.auth.SecurityChainFilter;
import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * A token bucket per caller: the API token when the request has a valid one, else the client address. A caller
 * over its rate gets a 429 {@code rate-limited} problem with {@code Retry-After} (whole seconds, at least 1) and the
 * request goes no further. The probes and Actuator are never limited: a kubelet or a Prometheus scraper must not
 * be locked out. Buckets live in a bounded cache, so a flood of addresses cannot grow the heap without limit.
 */
@Component
class RateLimits implements SecurityChainFilter {

    private final RateLimitProperties properties;
    private final HandlerExceptionResolver exceptionResolver;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    private final TimeMeter clock;

    /**
     * @param clock the buckets' clock: a {@link TimeMeter} bean if there is one (tests freeze time with it), else
     *              the system clock
     */
    RateLimits(
            RateLimitProperties properties,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver,
            ObjectProvider<TimeMeter> clock) {
        this.properties = properties;
        this.exceptionResolver = exceptionResolver;
        this.clock = clock.getIfAvailable(() -> TimeMeter.SYSTEM_MILLISECONDS);
    }

    @Override
    public Place place() {
        return Place.AFTER_AUTHENTICATION;
    }

    @Override
    public void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (properties.requestsPerMinute() == 0 || exempt(request)) {
            chain.doFilter(request, response);
            return;
        }
        ConsumptionProbe probe =
                buckets.get(callerOf(request), key -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        exceptionResolver.resolveException(
                request,
                response,
                null,
                new ProblemException(
                        ProblemKind.RATE_LIMITED,
                        "more than %d requests a minute (bursts of %d); retry in %d s"
                                .formatted(properties.requestsPerMinute(), properties.burst(), seconds)));
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .withCustomTimePrecision(clock)
                .addLimit(Bandwidth.builder()
                        .capacity(properties.burst())
                        .refillGreedy(properties.requestsPerMinute(), Duration.ofMinutes(1))
                        .build())
                .build();
    }

    private static String callerOf(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof ApiToken token) {
            return "token:" + token.id();
        }
        return "address:" + request.getRemoteAddr();
    }

    private static boolean exempt(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.equals("/livez") || path.equals("/readyz") || path.startsWith("/actuator/");
    }
}
