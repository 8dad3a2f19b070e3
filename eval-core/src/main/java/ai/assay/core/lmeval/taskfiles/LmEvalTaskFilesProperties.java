package ai.assay.core.lmeval.taskfiles;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where lm-eval's task files come from, under {@code assay.lmeval}: the generation tasks' YAML files (gsm8k's CoT
 * exemplars, BBH's CoT prompts) belong to lm-eval and the benchmarks' authors, so the service downloads them from
 * lm-eval's repository at a pinned commit instead of shipping them ({@link LmEvalTaskFiles}).
 *
 * @param tasksDir       a directory laid out as lm-eval's {@code lm_eval/tasks/} (for example a checkout's), read
 *                       before anything else and the only source besides the cache when {@code offline}; its files are
 *                       taken as they are, edits included. Null for none
 * @param baseUrl        the raw file host of lm-eval's repository; a file is fetched from
 *                       {@code <base-url>/<commit>/lm_eval/tasks/<path>}
 * @param commit         the lm-eval commit (40 hex digits) whose task files are used; a commit other than the one
 *                       of the shipped manifest needs {@code manifest}
 * @param manifest       a manifest file for another {@code commit}, in the shipped manifest's format; null for the
 *                       shipped one
 * @param cacheDir       where downloaded files are kept, as {@code <cache-dir>/<commit>/<path>}, each verified
 *                       against the manifest's SHA-256 on every read; null for {@code ${assay.cache-dir}/lmeval/tasks},
 *                       or {@code ~/.cache/assay/lmeval/tasks} without it
 * @param offline        never download: a file in neither {@code tasksDir} nor the cache is an error naming it
 * @param connectTimeout how long to wait for the host to accept a connection
 * @param readTimeout    how long one request may take
 * @param retries        how many times a request that failed on the way (no connection, a timeout, HTTP 408, 409,
 *                       429 or 5xx) is tried again
 * @param retryDelay     the wait before the first retry, doubled before each next one (up to a minute), with equal
 *                       jitter; a {@code Retry-After} from the host is used instead
 */
@ConfigurationProperties("assay.lmeval")
public record LmEvalTaskFilesProperties(
        Path tasksDir,
        @DefaultValue(DEFAULT_BASE_URL) URI baseUrl,
        @DefaultValue(TaskFileManifest.PINNED_COMMIT) String commit,
        Path manifest,
        Path cacheDir,
        @DefaultValue("false") boolean offline,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("1m") Duration readTimeout,
        @DefaultValue("4") int retries,
        @DefaultValue("2s") Duration retryDelay) {

    public static final String DEFAULT_BASE_URL = "https://raw.githubusercontent.com/EleutherAI/lm-evaluation-harness";

    public LmEvalTaskFilesProperties {
        if (baseUrl == null) {
            baseUrl = URI.create(DEFAULT_BASE_URL);
        }
        if (commit == null) {
            commit = TaskFileManifest.PINNED_COMMIT;
        }
        if (!commit.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException(
                    "assay.lmeval.commit must be a full lm-eval commit hash (40 lower-case hex digits), not '%s'"
                            .formatted(commit));
        }
        if (connectTimeout == null) {
            connectTimeout = Duration.ofSeconds(10);
        }
        if (readTimeout == null) {
            readTimeout = Duration.ofMinutes(1);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("assay.lmeval.retries must be 0 or more, not " + retries);
        }
        if (retryDelay == null) {
            retryDelay = Duration.ofSeconds(2);
        }
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("assay.lmeval.retry-delay must be 0 or more");
        }
    }

    /** The defaults, with {@code tasksDir} and {@code offline} as given: for code outside Spring (tools, tests). */
    public static LmEvalTaskFilesProperties of(Path tasksDir, boolean offline) {
        return new LmEvalTaskFilesProperties(tasksDir, null, null, null, null, offline, null, null, 4, null);
    }
}
