package ai.assay.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Runs Assay on a developer's machine: a database (the PostgreSQL at 127.0.0.1:5432 if one answers, otherwise an
 * embedded PostgreSQL with its data in {@code .local/postgres}), then the API and one worker from the jars the
 * build made, each logging to {@code .local/logs}. Ctrl-C stops everything. Both read model files only under
 * {@code ./models} and may call back to this machine (the loopback is allowed), nothing else private.
 *
 * <p>The API needs a token for every request. On its first run the runner writes a random admin token to
 * {@code .local/token} (readable by its owner only), hands it to the API as the bootstrap token and prints it with
 * the curl examples; later runs reuse it.
 *
 * <p>Settings, all optional, from the environment: {@code ASSAY_LOCAL_DB_USER} and {@code ASSAY_LOCAL_DB_PASSWORD}
 * for the local server (default postgres, empty), {@code ASSAY_LOCAL_API_PORT} (8080),
 * {@code ASSAY_LOCAL_WORKER_PORT} (8081), {@code ASSAY_LOCAL_EMBEDDED_PORT} (54329), and
 * {@code ASSAY_LOCAL_DATABASE}: {@code auto} (default), {@code local} (127.0.0.1:5432 only) or {@code embedded}.
 */
public final class LocalAssay {

    private static final String DATABASE = "assay";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path home = Path.of("").toAbsolutePath();
    private final Path state = home.resolve(".local");
    private final Path models = home.resolve("models");
    private final List<Process> services = new ArrayList<>();
    private EmbeddedPostgres embedded;

    public static void main(String[] args) throws Exception {
        new LocalAssay().run();
    }

    private void run() throws Exception {
        Path apiJar = jar("eval-api");
        Path workerJar = jar("eval-worker");
        Files.createDirectories(state.resolve("logs"));
        Files.createDirectories(models);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "assay-local-stop"));

        Database database = database();
        say("Database: " + database.description());
        int apiPort = intEnv("ASSAY_LOCAL_API_PORT", 8080);
        int workerPort = intEnv("ASSAY_LOCAL_WORKER_PORT", 8081);

        String token = localToken();
        start("api", apiJar, database, apiPort, "--assay.api.auth.bootstrap-token-file=" + state.resolve("token"));
        awaitReady("API", apiPort);
        start("worker", workerJar, database, workerPort);
        awaitReady("worker", workerPort);

        say("Assay is running.");
        say("  API:        http://localhost:" + apiPort + "  (Swagger UI: http://localhost:" + apiPort
                + "/swagger-ui.html)");
        say("  Worker:     http://localhost:" + workerPort + "/actuator/health (Actuator only)");
        say("  Logs:       " + home.relativize(state.resolve("logs")) + "/api.log, worker.log");
        say("  Token:      an admin token, kept in " + home.relativize(state.resolve("token")) + "; in your shell:");
        say("    export ASSAY_TOKEN=" + token);
        say("  Models:     read only under " + models + " (assay.models.roots); callbacks may go to this machine");
        say("Try: curl -s -X POST localhost:" + apiPort + "/evaluations -H \"Authorization: Bearer $ASSAY_TOKEN\""
                + " -H 'Content-Type: application/json' -d '"
                + "{\"model\":{\"name\":\"demo\",\"uri\":\"" + models.resolve("demo")
                + "\"},\"tasks\":[{\"name\":\"smoke\"}]}'");
        say("The web pages (http://localhost:" + apiPort + "/) ask for the token once.");
        say("Press Ctrl-C to stop.");
        for (Process service : services) {
            service.waitFor();
            say("A service stopped (exit code " + service.exitValue() + "); see its log. Stopping the rest.");
            System.exit(1);
        }
    }

    private Database database() throws IOException, SQLException {
        String user = env("ASSAY_LOCAL_DB_USER", "postgres");
        String password = env("ASSAY_LOCAL_DB_PASSWORD", "");
        String choice = env("ASSAY_LOCAL_DATABASE", "auto");
        if (choice.equals("local") || (choice.equals("auto") && answers("127.0.0.1", 5432))) {
            String admin = "jdbc:postgresql://127.0.0.1:5432/postgres";
            createDatabaseIfMissing(admin, user, password);
            return new Database(
                    "jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
                    user,
                    password,
                    "the PostgreSQL at 127.0.0.1:5432, database '" + DATABASE + "'");
        }
        Path data = state.resolve("postgres");
        Files.createDirectories(data);
        int port = intEnv("ASSAY_LOCAL_EMBEDDED_PORT", 54329);
        say((choice.equals("embedded") ? "Starting" : "No PostgreSQL answers at 127.0.0.1:5432; starting")
                + " an embedded PostgreSQL (data in " + home.relativize(data) + ")");
        embedded = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        createDatabaseIfMissing(embedded.getJdbcUrl("postgres", "postgres"), "postgres", "");
        return new Database(
                embedded.getJdbcUrl("postgres", DATABASE),
                "postgres",
                "",
                "embedded PostgreSQL on port " + port + ", database '" + DATABASE + "'");
    }

    private static void createDatabaseIfMissing(String adminUrl, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                try (Statement create = connection.createStatement()) {
                    create.execute("CREATE DATABASE " + DATABASE);
                }
            }
        }
    }

    /** The admin token of this checkout: made once, random, readable by its owner only. */
    private String localToken() throws IOException {
        Path file = state.resolve("token");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "assay_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token);
        return token;
    }

    private void start(String name, Path jar, Database database, int port, String... settings) throws IOException {
        Path log = state.resolve("logs").resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(),
                "--server.port=" + port,
                // files only under ./models; callbacks and outputs URLs may reach this machine, where a
                // developer runs the receiver (the guard still refuses the rest of the private network)
                "--assay.models.roots=" + models,
                "--assay.outbound.allow=127.0.0.0/8,::1/128,localhost"));
        command.addAll(List.of(settings));
        say("Starting the " + name + " (log: " + home.relativize(log) + ")");
        services.add(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start());
    }

    private void awaitReady(String name, int port) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            for (Process service : services) {
                if (!service.isAlive()) {
                    throw new IllegalStateException(
                            "the " + name + " exited during start-up; see its log in .local/logs");
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the " + name + " was not ready after " + START_TIMEOUT);
    }

    private void stopAll() {
        for (int i = services.size() - 1; i >= 0; i--) {
            Process service = services.get(i);
            service.destroy();
            try {
                service.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("Could not stop the embedded PostgreSQL: " + e.getMessage());
            }
        }
    }

    private Path jar(String module) throws IOException {
        Path target = home.resolve(module).resolve("target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module + "-*.jar")) {
                for (Path jar : jars) {
                    if (!jar.getFileName().toString().endsWith("-tests.jar")
                            && !jar.getFileName().toString().endsWith("-plain.jar")) {
                        return jar;
                    }
                }
            }
        }
        throw new IllegalStateException("no " + module + " jar in " + home.relativize(target)
                + "; build first: ./mvnw -B -DskipTests package (run this from the repository root)");
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int intEnv(String name, int fallback) {
        return Integer.parseInt(env(name, Integer.toString(fallback)));
    }

    private static void say(String line) {
        System.out.println("[assay-local] " + line);
    }

    private record Database(String url, String user, String password, String description) {}
}
