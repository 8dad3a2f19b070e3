package ai.assay.worker.judge;

import ai.assay.core.retry.RetryPolicy;
import ai.assay.worker.judge.annotator.AlpacaEvalConfigFiles;
import ai.assay.worker.judge.annotator.AnnotatorCatalog;
import ai.assay.worker.judge.cache.JudgeCache;
import ai.assay.worker.judge.client.JudgeClientProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The judge's beans. None of them needs a judge key or network at start-up. */
@Configuration(proxyBeanMethods = false)
class JudgeConfiguration {

    @Bean
    AnnotatorCatalog annotatorCatalog(
            JudgeProperties properties, @Value("${assay.cache-dir:${user.home}/.cache/assay}") Path cacheDir) {
        return new AnnotatorCatalog(
                properties.annotatorsDir(),
                cacheDir,
                properties.offline(),
                new AlpacaEvalConfigFiles(properties.configsBaseUrl(), properties.configsCommit()));
    }

    @Bean
    JudgeClientProvider judgeClientProvider(JudgeProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new JudgeClientProvider(properties, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    JudgeService judgeService(
            AnnotatorCatalog catalog, JudgeCache cache, JudgeClientProvider clients, JudgeProperties properties) {
        return new JudgeService(
                catalog,
                cache,
                clients,
                new JudgePricing(properties.prices()),
                RetryPolicy.of(properties.maxAttempts(), properties.initialBackoff(), properties.maxBackoff()),
                properties.concurrency(),
                properties.unparsableReasks());
    }
}
