package ai.assay.api.system;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of eval-api, under {@code assay.api}.
 *
 * @param maxRequestBodySize  the largest request body accepted; larger ones get 413
 * @param importMaxRequestBodySize the largest body of an import ({@code /imports/...}), which carries whole
 *                            result files
 * @param defaultPageSize     the page size of listings when the request gives none
 * @param maxPageSize         the largest page size a listing accepts
 * @param maxAttempts         how many times a job is tried before it fails for good (stored on each job)
 * @param queueMetricsRefresh how often the queue-depth gauges are read from the database
 */
@Validated
@ConfigurationProperties("assay.api")
public record ApiProperties(
        @DefaultValue("1MB") DataSize maxRequestBodySize,
        @DefaultValue("64MB") DataSize importMaxRequestBodySize,
        @DefaultValue("20") int defaultPageSize,
        @DefaultValue("200") int maxPageSize,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("10s") Duration queueMetricsRefresh) {}
