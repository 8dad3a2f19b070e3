package ai.assay.worker;

import ai.assay.core.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts whole worker applications in this JVM, as separate Spring contexts over one test database. */
public final class WorkerApps {

    private WorkerApps() {}

    /** The settings every test worker runs with: short leases and intervals, an ephemeral management port. */
    public static List<String> testSettings(TestDatabase database, String id) {
        return new ArrayList<>(List.of(
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--server.port=0",
                "--assay.worker.id=" + id,
                "--assay.worker.lease-duration=3s",
                "--assay.worker.heartbeat-interval=200ms",
                "--assay.worker.poll-interval=50ms",
                "--assay.worker.reaper-interval=300ms",
                "--assay.worker.progress-interval=100ms",
                "--assay.worker.shutdown-grace=2s",
                "--assay.worker.schema-wait=5s",
                "--assay.datasets.offline=true",
                "--assay.lmeval.offline=true",
                "--assay.models.roots=/models"));
    }

    public static ConfigurableApplicationContext start(TestDatabase database, String id, String... extra) {
        List<String> args = testSettings(database, id);
        for (String setting : extra) {
            String key = setting.substring(0, setting.indexOf('=') + 1);
            args.removeIf(existing -> existing.startsWith(key));
            args.add(setting);
        }
        return new SpringApplicationBuilder(AssayWorkerApplication.class).run(args.toArray(String[]::new));
    }
}
