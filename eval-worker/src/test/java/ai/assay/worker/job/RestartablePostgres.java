package ai.assay.worker.job;

import ai.assay.core.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of one test's own, which the test may restart while the worker uses it: the shared test
 * server cannot be restarted under the other tests. Its data lives in the test's folder and survives each restart.
 * The embedded PostgreSQL (zonky) is tried first: a restart is its fast-mode stop and a start on the same data
 * folder and port. PostgreSQL refuses to run as root, where zonky cannot help, so there the distribution's binaries
 * are used ({@code pg_ctl -m fast restart}), run as the {@code postgres} account.
 */
abstract sealed class RestartablePostgres implements AutoCloseable {

    final int port;

    private RestartablePostgres(int port) {
        this.port = port;
    }

    /** A running cluster in {@code folder}, or empty when this machine can run none (the test then skips). */
    static Optional<RestartablePostgres> start(Path folder) {
        int port = freePort();
        if (!runningAsRoot()) {
            try {
                return Optional.of(new Embedded(folder.resolve("data"), port));
            } catch (IOException | RuntimeException e) {
                // no embedded binaries for this platform: try the distribution's
            }
        }
        Optional<Path> bin = distributionBinaries();
        if (bin.isEmpty() || (runningAsRoot() && !new File("/usr/sbin/runuser").canExecute())) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Distribution(bin.get(), folder, port));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stops the server in fast mode (open connections are cut) and starts it again on the same data and port. */
    abstract void restart() throws IOException;

    /** Stops the server in fast mode; {@link #startAgain()} brings it back on the same data and port. */
    abstract void stop() throws IOException;

    abstract void startAgain() throws IOException;

    /** A new database on this cluster; the cluster goes with the test, so closing it is optional. */
    TestDatabase createDatabase(String name) {
        String admin = jdbcUrl("postgres");
        try (Connection connection = DriverManager.getConnection(admin, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return new TestDatabase(name, jdbcUrl(name), admin, "postgres", "");
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static final class Embedded extends RestartablePostgres {

        private final EmbeddedPostgres.Builder builder;
        private EmbeddedPostgres server;

        Embedded(Path data, int port) throws IOException {
            super(port);
            builder = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPort(port);
            server = builder.start();
        }

        @Override
        void restart() throws IOException {
            stop();
            startAgain();
        }

        @Override
        void stop() throws IOException {
            server.close();
        }

        @Override
        void startAgain() throws IOException {
            server = builder.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static final class Distribution extends RestartablePostgres {

        private final Path bin;
        private final Path data;
        private final Path log;
        private final String options;

        Distribution(Path bin, Path folder, int port) throws IOException {
            super(port);
            this.bin = bin;
            Path home = folder.resolve("cluster");
            Files.createDirectories(home);
            data = home.resolve("data");
            log = home.resolve("server.log");
            if (runningAsRoot()) {
                // The postgres account must reach its folder through the test's own.
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
                UserPrincipalLookupService users = folder.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(home, users.lookupPrincipalByName("postgres"));
            }
            options = "-c port=%d -c listen_addresses=127.0.0.1 -c unix_socket_directories=%s -c fsync=off"
                    .formatted(port, home);
            run(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust", "-N");
            pgCtl("start");
        }

        @Override
        void restart() throws IOException {
            pgCtl("restart", "-m", "fast");
        }

        @Override
        void stop() throws IOException {
            pgCtl("stop", "-m", "fast");
        }

        @Override
        void startAgain() throws IOException {
            pgCtl("start");
        }

        @Override
        public void close() throws IOException {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                pgCtl("stop", "-m", "immediate");
            }
        }

        private void pgCtl(String action, String... more) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    data.toString(),
                    "-l",
                    log.toString(),
                    "-o",
                    options,
                    "-w",
                    action));
            command.addAll(List.of(more));
            run(command.toArray(String[]::new));
        }

        private static void run(String... command) throws IOException {
            List<String> line = new ArrayList<>();
            if (runningAsRoot()) {
                line.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
            }
            line.addAll(List.of(command));
            Process process = new ProcessBuilder(line)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IOException("failed: " + String.join(" ", line));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: " + String.join(" ", line), e);
            }
        }
    }

    private static Optional<Path> distributionBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin ->
                            Files.isExecutable(bin.resolve("pg_ctl")) && Files.isExecutable(bin.resolve("initdb")))
                    .sorted()
                    .reduce((older, newer) -> newer);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
