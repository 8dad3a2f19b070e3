package ai.assay.core.datasets;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where benchmark datasets come from.
 *
 * @param dir            a directory laid out as {@code <dataset id>/<config or "default">/<split>.parquet} (or
 *                       {@code .jsonl}), read before anything else; null for none
 * @param cacheDir       where downloaded parquet files are kept with their checksums; null for
 *                       {@code ${assay.cache-dir}/datasets}, or {@code ~/.cache/assay/datasets} without it
 * @param hubUrl         the Hugging Face Hub (tests point it at a local stub)
 * @param hfToken        a Hub token for gated datasets such as ToxiGen; never logged
 * @param offline        never download: a split that is in neither {@code dir} nor the cache is an error
 * @param connectTimeout how long to wait for the Hub to accept a connection
 * @param readTimeout    how long one request to the Hub may take, downloads included
 * @param retries        how many times a request that failed on the way (no connection, a timeout, HTTP 408, 409,
 *                       429 or 5xx) is tried again
 * @param retryDelay     the wait before the first retry, doubled before each next one (up to a minute), with equal
 *                       jitter (between half and all of it); a {@code Retry-After} from the Hub is used instead
 */
@ConfigurationProperties("assay.datasets")
public record DatasetProperties(
        Path dir,
        Path cacheDir,
        @DefaultValue("https://huggingface.co") URI hubUrl,
        String hfToken,
        @DefaultValue("false") boolean offline,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("10m") Duration readTimeout,
        @DefaultValue("4") int retries,
        @DefaultValue("2s") Duration retryDelay) {

    public DatasetProperties {
        hfToken = hfToken == null || hfToken.isBlank() ? null : hfToken.strip();
        if (retries < 0) {
            throw new IllegalArgumentException("assay.datasets.retries must be 0 or more, not " + retries);
        }
        if (retryDelay == null || retryDelay.isNegative()) {
            throw new IllegalArgumentException("assay.datasets.retry-delay must be 0 or more");
        }
    }

    @Override
    public String toString() {
        return "DatasetProperties[dir=%s, cacheDir=%s, hubUrl=%s, hfToken=%s, offline=%s]"
                .formatted(dir, cacheDir, hubUrl, hfToken == null ? "none" : "(set)", offline);
    }
}
