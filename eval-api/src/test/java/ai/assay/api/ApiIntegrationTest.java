package ai.assay.api;

import ai.assay.core.testing.FreshDatabase;
import ai.assay.core.testing.TestHosts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The running API on a random port, over its own fresh database (one per test class). {@link #api} sends the
 * bootstrap admin token, which may do everything; tests of scopes make narrower tokens. Models may be read under
 * {@code /models} (no file is opened: the API only checks where a path lies), and host names resolve through
 * {@link TestHosts}, never DNS.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "assay.datasets.offline=true",
            "assay.lmeval.offline=true",
            "assay.models.roots=/models",
            "assay.api.auth.bootstrap-token=" + ApiIntegrationTest.ADMIN_TOKEN,
            // a suite sends bursts no caller would; RateLimitTests turns the limits on
            "assay.api.rate-limit.requests-per-minute=0"
        })
@FreshDatabase
@Import(TestHosts.class)
public abstract class ApiIntegrationTest {

    /** The bootstrap admin token of the API under test; a test value, as recognisable as a secret should be. */
    public static final String ADMIN_TOKEN = "assay_test-bootstrap-admin-token-0123456789";

    private static final List<String> TABLES = List.of(
            "evaluation",
            "evaluation_task",
            "generation",
            "judgment",
            "metric_value",
            "sample_score",
            "judge_cache",
            "api_token");

    @LocalServerPort
    private int port;

    @Autowired
    protected JdbcClient jdbc;

    protected ApiClient api;

    @BeforeEach
    void connect() {
        api = new ApiClient(port, ADMIN_TOKEN);
    }

    /** The port the API listens on, for tests that talk raw HTTP. */
    protected int port() {
        return port;
    }

    /** The number of rows in every table of the schema. */
    protected Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(
                    table,
                    jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single());
        }
        return counts;
    }

    protected static String smokeEvaluation(String model) {
        return """
                {"model": {"name": "%s", "uri": "file:///models/%s"},
                 "tasks": [{"name": "smoke", "examples": 3}],
                 "labels": {"run": "dpo-1", "step": "100"}}
                """.formatted(model, model);
    }
}
