package ai.assay.worker.system;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The name this worker process writes as lease owner: {@code assay.worker.id}, or host name, process id and a
 * random suffix. Unique per process, so a restarted worker can never write under its predecessor's lease.
 */
@Component
public class WorkerIdentity {

    private final String id;

    WorkerIdentity(WorkerProperties properties) {
        this.id = properties.id().isBlank() ? generated() : properties.id();
    }

    public String id() {
        return id;
    }

    private static String generated() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 4);
    }
}
