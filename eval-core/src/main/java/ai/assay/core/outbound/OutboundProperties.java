package ai.assay.core.outbound;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of outbound calls (callbacks, model outputs fetched over http), under {@code assay.outbound}.
 *
 * @param allow       exceptions to the guard: CIDRs ({@code 10.0.0.0/8}, {@code 127.0.0.1/32}, {@code ::1/128}),
 *                    single addresses, or host names (matched exactly, case-insensitively, against the URL's
 *                    host, whatever it resolves to); empty allows no loopback, link-local, private, multicast or
 *                    unspecified address
 * @param maxBodySize the largest body a worker reads from a fetched URL or a file of model outputs; a larger one
 *                    fails the task rather than the worker's heap
 */
@ConfigurationProperties("assay.outbound")
public record OutboundProperties(
        @DefaultValue List<String> allow,
        @DefaultValue("256MB") DataSize maxBodySize) {

    public OutboundProperties {
        allow = allow == null ? List.of() : List.copyOf(allow);
        maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(256) : maxBodySize;
        if (maxBodySize.toBytes() <= 0) {
            throw new IllegalArgumentException("assay.outbound.max-body-size must be positive");
        }
    }

    /** The defaults: nothing allowed beyond public addresses, 256 MiB bodies. */
    public static OutboundProperties defaults() {
        return new OutboundProperties(List.of(), DataSize.ofMegabytes(256));
    }
}
