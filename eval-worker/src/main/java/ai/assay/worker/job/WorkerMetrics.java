package ai.assay.worker.job;

import ai.assay.core.evaluation.RunState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The worker's Prometheus metrics. Rates (examples/s, tokens/s) come from {@code rate()} over the counters.
 */
@Component
public class WorkerMetrics {

    private final MeterRegistry registry;
    private final Counter claims;
    private final Counter leaseLosses;
    private final Counter releases;
    private final Counter examples;
    private final Counter promptTokens;
    private final Counter generatedTokens;

    WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.claims = Counter.builder("assay.worker.claims")
                .description("Jobs this worker claimed")
                .register(registry);
        this.leaseLosses = Counter.builder("assay.worker.lease.losses")
                .description("Jobs this worker lost its lease on while running them")
                .register(registry);
        this.releases = Counter.builder("assay.worker.releases")
                .description("Jobs given back to the queue unfinished (shutdown, worker errors)")
                .register(registry);
        this.examples = Counter.builder("assay.worker.examples")
                .description("Examples finished, over all tasks")
                .register(registry);
        this.promptTokens = Counter.builder("assay.worker.tokens")
                .tag("kind", "prompt")
                .description("Tokens processed")
                .register(registry);
        this.generatedTokens = Counter.builder("assay.worker.tokens")
                .tag("kind", "generated")
                .description("Tokens processed")
                .register(registry);
    }

    void claimed() {
        claims.increment();
    }

    void ended(RunState state) {
        registry.counter("assay.worker.evaluations", "outcome", state.value()).increment();
    }

    void leaseLost() {
        leaseLosses.increment();
    }

    void released() {
        releases.increment();
    }

    void examples(int count) {
        examples.increment(count);
    }

    void tokens(int prompt, int generated) {
        promptTokens.increment(prompt);
        generatedTokens.increment(generated);
    }
}
