package ai.assay.core.testing;

import ai.assay.core.outbound.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Name resolution for tests, without DNS: {@link #REBOUND} resolves to the loopback (a name that looks harmless
 * and points inside), {@link #PUBLIC} to a public address (never connected to), every other name to nothing. Import
 * it into a Spring test to replace the system resolver, so no test ever sends a DNS query.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestHosts {

    public static final String REBOUND = "rebound.assay.test";
    public static final String PUBLIC = "public.assay.test";

    private static final Map<String, String> HOSTS = Map.of(REBOUND, "127.0.0.1", PUBLIC, "203.0.113.10");

    /** The resolver itself, for tests that build a guard by hand. */
    public static final HostResolver RESOLVER = host -> {
        String address = HOSTS.get(host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getByName(address));
    };

    @Bean
    @Primary
    HostResolver testHostResolver() {
        return RESOLVER;
    }
}
