package ai.assay.api.system;

import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.RunState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The gauge {@code assay_queue_depth{state=...}}: how many evaluations are in each state. It is read from the
 * database on a schedule rather than at every scrape, so a busy Prometheus cannot load the database.
 */
@Component
class QueueDepthMetrics {

    private static final Logger log = LoggerFactory.getLogger(QueueDepthMetrics.class);

    private final EvaluationRepository evaluations;
    private final Map<RunState, AtomicLong> depths = new EnumMap<>(RunState.class);

    QueueDepthMetrics(EvaluationRepository evaluations, MeterRegistry registry) {
        this.evaluations = evaluations;
        for (RunState state : RunState.values()) {
            AtomicLong depth = new AtomicLong();
            depths.put(state, depth);
            Gauge.builder("assay.queue.depth", depth, AtomicLong::get)
                    .description("Evaluations in each state")
                    .tag("state", state.value())
                    .register(registry);
        }
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${assay.api.queue-metrics-refresh:10s}")
    void refresh() {
        try {
            evaluations
                    .countByState()
                    .forEach((state, count) -> depths.get(state).set(count));
        } catch (RuntimeException e) {
            log.warn("Could not read the queue depth: {}", e.getMessage());
        }
    }
}
