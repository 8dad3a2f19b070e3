package ai.assay.worker.outbound;

import ai.assay.core.outbound.OutboundGuard;
import java.time.Duration;
import java.util.Optional;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP clients for URLs a submitter named (callbacks, model outputs). Apache HttpClient 5 rather than the JDK's
 * client because it lets the application do the name resolution: each connection resolves through the
 * {@link OutboundGuard} ({@link GuardedDnsResolver}) and goes to the addresses it checked, which the JDK's client,
 * resolving on its own, cannot promise. The clients follow no redirects (a caller that follows them does so by hand,
 * and each hop resolves through the guard again), retry nothing on their own (the callers have the retry policy),
 * and use no proxy from system properties (a proxy would make the guard check the proxy, not the target).
 */
public final class GuardedHttpClients {

    private GuardedHttpClients() {}

    /**
     * A client whose connections are guarded.
     *
     * @param connectTimeout  for opening a connection
     * @param responseTimeout for the answer, and between two reads of it
     */
    public static CloseableHttpClient create(OutboundGuard guard, Duration connectTimeout, Duration responseTimeout) {
        ConnectionConfig connections = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(responseTimeout))
                .build();
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new GuardedDnsResolver(guard))
                        .setDefaultConnectionConfig(connections)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(responseTimeout))
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    /**
     * The guard's reason when {@code failure} (or a cause of it) is a connection the guard refused at name
     * resolution, as opposed to a network failure that another try may cure.
     */
    public static Optional<String> refusalIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof GuardedDnsResolver.RefusedAddressException refused) {
                return Optional.of(refused.getMessage());
            }
        }
        return Optional.empty();
    }
}
