package ai.assay.core.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server the tests of this JVM use, found once, in this order:
 * <ol>
 * <li>{@code ASSAY_TEST_JDBC_URL} (with {@code ASSAY_TEST_JDBC_USER}, default postgres, and
 * {@code ASSAY_TEST_JDBC_PASSWORD}, default empty): any server the user can create databases on;</li>
 * <li>a Testcontainers PostgreSQL 15 when a Docker daemon answers;</li>
 * <li>an embedded PostgreSQL 15 (zonky), real binaries from Maven, stopped when the JVM exits.</li>
 * </ol>
 * Tests never share a database: each asks for a fresh one with {@link #createDatabase()}.
 */
public final class TestPostgres {

    public static final String URL_VARIABLE = "ASSAY_TEST_JDBC_URL";

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static final Pattern JDBC_URL = Pattern.compile("^(jdbc:postgresql://[^/?]+)(/[^?]*)?(\\?.*)?$");

    private static Server server;

    private TestPostgres() {}

    /** A new, empty database on the test server, dropped by {@link TestDatabase#close()}. */
    public static TestDatabase createDatabase() {
        Server current = server();
        String name = "assay_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        current.execute("CREATE DATABASE " + name);
        return new TestDatabase(name, current.urlOf(name), current.adminUrl(), current.user(), current.password());
    }

    static synchronized Server server() {
        if (server == null) {
            server = findServer();
            log.info("Tests use PostgreSQL from {}", server.origin());
        }
        return server;
    }

    private static Server findServer() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return new Server(
                    url,
                    envOr("ASSAY_TEST_JDBC_USER", "postgres"),
                    envOr("ASSAY_TEST_JDBC_PASSWORD", ""),
                    URL_VARIABLE);
        }
        if (dockerAnswers()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            return new Server(
                    container.getJdbcUrl(), container.getUsername(), container.getPassword(), "Testcontainers");
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(embedded)));
            return new Server(embedded.getJdbcUrl("postgres", "postgres"), "postgres", "", "embedded PostgreSQL");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        try {
            embedded.close();
        } catch (IOException e) {
            log.warn("could not stop the embedded PostgreSQL", e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    record Server(String adminUrl, String user, String password, String origin) {

        String urlOf(String database) {
            Matcher matcher = JDBC_URL.matcher(adminUrl);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + adminUrl);
            }
            String query = matcher.group(3) == null ? "" : matcher.group(3);
            return matcher.group(1) + "/" + database + query;
        }

        void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("could not run '%s' on %s".formatted(sql, adminUrl), e);
            }
        }
    }
}
