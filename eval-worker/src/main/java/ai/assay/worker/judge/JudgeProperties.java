package ai.assay.worker.judge;

import jakarta.validation.constraints.Min;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the LLM judge, under {@code assay.judge}. Nothing here is needed at start-up: a worker without a judge
 * key runs every task that does not judge, and a judged task fails with a clear error when the judge is not usable.
 *
 * @param baseUrl         the OpenAI-compatible API, ending in {@code /v1} (the SDK appends {@code /chat/completions})
 * @param apiKey          the API key (env {@code ASSAY_JUDGE_API_KEY}, usually from a Kubernetes secret); empty sends
 *                        no Authorization header, which only a keyless server accepts. Never logged or stored
 * @param apiKeyFile      a file holding the key (a mounted secret), read when the judge is first used; used when
 *                        {@code apiKey} is empty
 * @param requestTimeout  how long one request may take (connect, send and answer)
 * @param concurrency     requests in flight at a time, per judging batch
 * @param maxAttempts     tries per request on 429, 5xx, timeouts and connection errors, the first included
 * @param initialBackoff  the wait after the first failure without {@code Retry-After}; it doubles with each failure
 * @param maxBackoff      the longest wait between two tries, also the most a {@code Retry-After} is honoured
 * @param unparsableReasks how many more times, within the run, a request is sent again when the judge's answer
 *                        gives no preference the annotator's parser can read (0: never; the example then stays
 *                        missing until the next run). The same request is sent: see {@link JudgeService} for why
 * @param annotatorsDir   a directory of annotator configs ({@code <name>/configs.yaml} as in alpaca_eval's
 *                        {@code evaluators_configs}, or {@code <name>.yaml} next to its template), looked at first
 * @param offline         never download annotator configs; a name found neither in {@code annotatorsDir} nor in the
 *                        cache is an error naming what is missing
 * @param configsBaseUrl  where alpaca_eval's repository files are downloaded from (raw file host)
 * @param configsCommit   the alpaca_eval commit whose {@code evaluators_configs} are used
 * @param prices          USD per million tokens by judge model name (exact name, else the longest configured prefix);
 *                        an annotator's own {@code price_per_token} wins
 */
@Validated
@ConfigurationProperties("assay.judge")
public record JudgeProperties(
        @DefaultValue("https://api.openai.com/v1") URI baseUrl,
        @DefaultValue("") String apiKey,
        Path apiKeyFile,
        @DefaultValue("60s") Duration requestTimeout,
        @DefaultValue("16") @Min(1) int concurrency,
        @DefaultValue("8") @Min(1) int maxAttempts,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("60s") Duration maxBackoff,
        @DefaultValue("2") @Min(0) int unparsableReasks,
        Path annotatorsDir,
        @DefaultValue("false") boolean offline,

        @DefaultValue("https://raw.githubusercontent.com/tatsu-lab/alpaca_eval")
        URI configsBaseUrl,

        @DefaultValue("cd543a149df89434d8a54582c0151c0b945c3d20")
        String configsCommit,

        Map<String, Price> prices) {

    /** A model's price in USD per million tokens. */
    public record Price(BigDecimal promptPerMillion, BigDecimal completionPerMillion) {}

    public JudgeProperties {
        String url = baseUrl.toString();
        if (!url.endsWith("/v1") && !url.endsWith("/v1/")) {
            throw new IllegalArgumentException("assay.judge.base-url must end in /v1 (the OpenAI SDK appends only"
                    + " /chat/completions), got " + url);
        }
        if (!configsCommit.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("assay.judge.configs-commit must be a full commit hash");
        }
        prices = prices == null ? Map.of() : Map.copyOf(prices);
    }

    /** The key, from {@code apiKey} or else {@code apiKeyFile}; empty if neither is set. */
    public String resolveApiKey() {
        if (!apiKey.isBlank() || apiKeyFile == null) {
            return apiKey.strip();
        }
        try {
            return java.nio.file.Files.readString(apiKeyFile).strip();
        } catch (java.io.IOException e) {
            throw new JudgeException("cannot read the judge API key file assay.judge.api-key-file (" + apiKeyFile
                    + "): " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return ("JudgeProperties[baseUrl=%s, apiKey=%s, apiKeyFile=%s, requestTimeout=%s, concurrency=%d,"
                        + " maxAttempts=%d, initialBackoff=%s, maxBackoff=%s, unparsableReasks=%d, annotatorsDir=%s,"
                        + " offline=%s, configsBaseUrl=%s, configsCommit=%s, prices=%s]")
                .formatted(
                        baseUrl,
                        apiKey.isEmpty() ? "<none>" : "<set>",
                        apiKeyFile,
                        requestTimeout,
                        concurrency,
                        maxAttempts,
                        initialBackoff,
                        maxBackoff,
                        unparsableReasks,
                        annotatorsDir,
                        offline,
                        configsBaseUrl,
                        configsCommit,
                        prices.keySet());
    }
}
