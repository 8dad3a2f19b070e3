package ai.assay.worker.judge.client;

import ai.assay.worker.judge.JudgeException;
import ai.assay.worker.judge.JudgeProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * Opens the judge client on first use, so that a worker without judge settings starts and runs every task that does
 * not judge. A judged task then fails with the message of {@link #get()}.
 */
public class JudgeClientProvider implements Supplier<JudgeClient>, AutoCloseable {

    private final JudgeProperties properties;
    private final MeterRegistry meterRegistry;
    private JudgeClient client;

    public JudgeClientProvider(JudgeProperties properties, MeterRegistry meterRegistry) {
        this.properties = properties;
        this.meterRegistry = meterRegistry;
    }

    /** @throws JudgeException when no API key is set for OpenAI's own API */
    @Override
    public synchronized JudgeClient get() {
        if (client == null) {
            String key = properties.resolveApiKey();
            if (key.isEmpty() && "api.openai.com".equals(properties.baseUrl().getHost())) {
                throw new JudgeException("the judge needs an API key: set ASSAY_JUDGE_API_KEY (assay.judge.api-key)"
                        + " or assay.judge.api-key-file, or point assay.judge.base-url at another"
                        + " OpenAI-compatible server");
            }
            client = new JudgeClient(
                    properties.baseUrl(), key, properties.requestTimeout(), properties.concurrency(), meterRegistry);
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
