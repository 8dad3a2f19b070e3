package ai.assay.worker.system;

import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker never migrates: eval-api owns the schema. At start-up the worker waits (up to
 * {@code assay.worker.schema-wait}) while migrations it knows are still pending — during an upgrade the API may
 * not have applied them yet — and then validates the schema, failing start-up if it does not match.
 */
@Configuration(proxyBeanMethods = false)
class SchemaCheck {

    private static final Logger log = LoggerFactory.getLogger(SchemaCheck.class);

    @Bean
    FlywayMigrationStrategy validateOnly(WorkerProperties properties) {
        return flyway -> {
            waitForPendingMigrations(flyway, properties.schemaWait());
            flyway.validate();
        };
    }

    private static void waitForPendingMigrations(Flyway flyway, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        MigrationInfo[] pending = flyway.info().pending();
        while (pending.length > 0) {
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("the database schema still lacks %d migration(s) (first: %s) after"
                                .formatted(pending.length, pending[0].getScript())
                        + " waiting %s; is eval-api running?".formatted(limit));
            }
            log.info(
                    "Waiting for eval-api to apply {} pending migration(s), first {}",
                    pending.length,
                    pending[0].getScript());
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema", e);
            }
            pending = flyway.info().pending();
        }
    }
}
