package ai.assay.worker.queue;

import ai.assay.core.evaluation.EvaluationEndings;
import ai.assay.worker.system.WorkerProperties;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every worker runs the reaper on a schedule; the advisory lock in {@link JobQueue#reap} lets one at a time do
 * the work. It requeues jobs whose worker vanished and fails jobs out of attempts or time.
 */
@Component
class QueueReaper {

    private static final Logger log = LoggerFactory.getLogger(QueueReaper.class);

    private final JobQueue queue;
    private final EvaluationEndings endings;
    private final TransactionTemplate transactions;
    private final WorkerProperties properties;

    QueueReaper(
            JobQueue queue, EvaluationEndings endings, TransactionTemplate transactions, WorkerProperties properties) {
        this.queue = queue;
        this.endings = endings;
        this.transactions = transactions;
        this.properties = properties;
    }

    @Scheduled(
            initialDelayString = "${assay.worker.reaper-interval:15s}",
            fixedDelayString = "${assay.worker.reaper-interval:15s}")
    void reap() {
        try {
            List<UUID> failed = transactions.execute(status -> {
                List<UUID> ended = queue.reap(properties.maxRunTime());
                ended.forEach(endings::ended);
                return ended;
            });
            if (!failed.isEmpty()) {
                log.warn("Reaper failed {} evaluation(s) out of attempts or time: {}", failed.size(), failed);
            }
        } catch (RuntimeException e) {
            log.warn("Reaper round failed: {}", e.getMessage());
        }
    }
}
