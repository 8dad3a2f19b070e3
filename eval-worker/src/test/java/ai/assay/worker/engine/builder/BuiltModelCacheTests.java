package ai.assay.worker.engine.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.ModelLoadException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class BuiltModelCacheTests {

    private static final String KEY = "0123456789abcdef".repeat(4);

    /**
     * How long a test waits for something that must happen before it calls the implementation broken; never a
     * measured outcome.
     */
    private static final long PATIENCE_SECONDS = 60;

    @TempDir
    Path root;

    private final Waits waits = new Waits();
    private final List<Process> children = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private Level previousLevel;

    @BeforeEach
    void watchTheCachesLog() {
        Logger logger = (Logger) LoggerFactory.getLogger(BuiltModelCache.class);
        previousLevel = logger.getLevel();
        logger.setLevel(Level.INFO);
        waits.start();
        logger.addAppender(waits);
    }

    @AfterEach
    void leaveNothingRunning() throws InterruptedException {
        Logger logger = (Logger) LoggerFactory.getLogger(BuiltModelCache.class);
        logger.detachAppender(waits);
        logger.setLevel(previousLevel);
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor();
        }
        threads.shutdownNow();
        assertThat(threads.awaitTermination(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aSecondObtainReusesTheFirstBuild() throws IOException {
        AtomicInteger builds = new AtomicInteger();
        BuiltModelCache cache = new BuiltModelCache(root.resolve("nested/cache"));

        BuiltModelCache.Entry first = cache.obtain(KEY, staging -> {
            try (Stream<Path> files = Files.list(staging)) {
                assertThat(files)
                        .as("the staging directory a build gets is empty")
                        .isEmpty();
            }
            builds.incrementAndGet();
            Files.writeString(staging.resolve("model.onnx"), "graph");
        });
        BuiltModelCache.Entry second = cache.obtain(KEY, staging -> builds.incrementAndGet());
        BuiltModelCache.Entry afterRestart =
                new BuiltModelCache(root.resolve("nested/cache")).obtain(KEY, staging -> builds.incrementAndGet());

        assertThat(builds).hasValue(1);
        assertThat(first.reused()).isFalse();
        assertThat(second.reused()).isTrue();
        assertThat(afterRestart.reused()).isTrue();
        assertThat(second.directory()).isEqualTo(first.directory());
        assertThat(first.directory().getFileName()).hasToString(KEY);
        assertThat(Files.readString(first.directory().resolve("model.onnx"))).isEqualTo("graph");
        assertThat(cache.find(KEY)).contains(first.directory());
        assertThat(Files.getPosixFilePermissions(first.directory()))
                .as("other workers' users read the entry as they read any directory made here")
                .isEqualTo(Files.getPosixFilePermissions(Files.createDirectory(root.resolve("plain"))));
        assertThat(leftStaging(root.resolve("nested/cache"))).isEmpty();
    }

    @Test
    void aFailedBuildLeavesNoEntryAndTheNextObtainBuilds() throws IOException {
        BuiltModelCache cache = new BuiltModelCache(root);

        assertThatThrownBy(() -> cache.obtain(KEY, staging -> {
                    Files.writeString(staging.resolve("model.onnx"), "half a graph");
                    throw new IOException("the disk is full");
                }))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(KEY)
                .hasMessageContaining("the disk is full")
                .hasCauseInstanceOf(IOException.class);
        IllegalStateException refusal = new IllegalStateException("unsupported model_type");
        assertThatThrownBy(() -> cache.obtain(KEY, staging -> {
                    Files.writeString(staging.resolve("model.onnx"), "half a graph");
                    throw refusal;
                }))
                .isSameAs(refusal);
        ModelLoadException badTensor = new ModelLoadException("model.safetensors: tensor x has the wrong shape");
        assertThatThrownBy(() -> cache.obtain(KEY, staging -> {
                    throw badTensor;
                }))
                .isSameAs(badTensor);

        assertThat(cache.find(KEY)).isEmpty();
        assertThat(root.resolve(KEY)).doesNotExist();
        assertThat(leftStaging(root)).isEmpty();

        BuiltModelCache.Entry entry =
                cache.obtain(KEY, staging -> Files.writeString(staging.resolve("model.onnx"), "graph"));
        assertThat(entry.reused()).isFalse();
        assertThat(Files.readString(entry.directory().resolve("model.onnx"))).isEqualTo("graph");
    }

    @Test
    void anEntryWithoutItsMarkerIsRebuiltAndNeverReturned() throws IOException {
        Path halfWritten = Files.createDirectories(root.resolve(KEY));
        Files.writeString(halfWritten.resolve("model.onnx"), "half a graph");
        Files.writeString(halfWritten.resolve("model.onnx_data"), "truncated");
        Path otherKeysEntry = Files.createDirectories(root.resolve("f".repeat(64)));
        Files.writeString(otherKeysEntry.resolve(BuiltModelCache.MARKER), KEY + "\n");
        BuiltModelCache cache = new BuiltModelCache(root);

        assertThat(cache.find(KEY)).isEmpty();
        assertThat(cache.find("f".repeat(64)))
                .as("a marker naming another key does not make an entry complete")
                .isEmpty();
        BuiltModelCache.Entry entry =
                cache.obtain(KEY, staging -> Files.writeString(staging.resolve("model.onnx"), "graph"));

        assertThat(entry.reused()).isFalse();
        assertThat(entry.directory()).isEqualTo(root.toRealPath().resolve(KEY));
        assertThat(Files.readString(entry.directory().resolve("model.onnx"))).isEqualTo("graph");
        assertThat(entry.directory().resolve("model.onnx_data")).doesNotExist();
        assertThat(Files.readString(entry.directory().resolve(BuiltModelCache.MARKER)))
                .isEqualTo(KEY + "\n");
        assertThat(leftStaging(root)).isEmpty();
    }

    @Test
    void manyThreadsObtainingOneKeyAtOnceBuildItOnce() throws Exception {
        int n = 8;
        BuiltModelCache[] caches = {new BuiltModelCache(root), new BuiltModelCache(root)};
        AtomicInteger builds = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(n);
        List<Future<BuiltModelCache.Entry>> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BuiltModelCache cache = caches[i % 2];
            entries.add(threads.submit(() -> {
                start.await();
                return cache.obtain(KEY, staging -> {
                    builds.incrementAndGet();
                    // Finish only once every other thread is known to wait for this build.
                    try {
                        if (!waits.inThisProcess.tryAcquire(n - 1, PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                            throw new IOException("the other threads never waited for this build");
                        }
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    Files.writeString(staging.resolve("model.onnx"), "graph");
                });
            }));
        }

        List<BuiltModelCache.Entry> obtained = new ArrayList<>();
        for (Future<BuiltModelCache.Entry> entry : entries) {
            obtained.add(entry.get(2 * PATIENCE_SECONDS, TimeUnit.SECONDS));
        }

        assertThat(builds).hasValue(1);
        assertThat(obtained).filteredOn(e -> !e.reused()).hasSize(1);
        assertThat(obtained)
                .extracting(BuiltModelCache.Entry::directory)
                .containsOnly(root.toRealPath().resolve(KEY));
        assertThat(Files.readString(root.resolve(KEY).resolve("model.onnx"))).isEqualTo("graph");
    }

    @Test
    void anObtainWaitsForAnotherProcesssBuildAndReusesIt() throws Exception {
        Child child = startLockHolder();
        child.awaitLine(CacheLockHolder.BUILDING);
        BuiltModelCache cache = new BuiltModelCache(root);
        AtomicInteger builds = new AtomicInteger();

        Future<BuiltModelCache.Entry> obtained = threads.submit(() -> cache.obtain(KEY, staging -> {
            builds.incrementAndGet();
            Files.writeString(staging.resolve("model.onnx"), "built here");
        }));
        assertThat(waits.inAnotherProcess.tryAcquire(PATIENCE_SECONDS, TimeUnit.SECONDS))
                .as("the obtain found the key locked by the other process")
                .isTrue();
        assertThat(obtained).isNotDone();
        child.send("finish");
        assertThat(child.awaitLine(CacheLockHolder.DONE)).isEqualTo(CacheLockHolder.DONE + "false");
        assertThat(child.process.waitFor()).isZero();
        BuiltModelCache.Entry entry = obtained.get(PATIENCE_SECONDS, TimeUnit.SECONDS);

        assertThat(builds).hasValue(0);
        assertThat(entry.reused()).isTrue();
        assertThat(Files.readString(entry.directory().resolve("model.onnx"))).isEqualTo(CacheLockHolder.CONTENT);
        assertThat(Files.readString(entry.directory().resolve("model.onnx_data")))
                .isEqualTo(CacheLockHolder.CONTENT);
    }

    @Test
    void aBuildKilledMidwayIsNeverLoadedAndItsStagingIsClearedByTheNextBuild() throws Exception {
        Child child = startLockHolder();
        Path staging = Path.of(child.awaitLine(CacheLockHolder.BUILDING).substring(CacheLockHolder.BUILDING.length()));
        assertThat(staging.resolve("model.onnx")).exists();

        child.process.destroyForcibly();
        child.process.waitFor();

        BuiltModelCache cache = new BuiltModelCache(root);
        assertThat(staging)
                .as("the killed build's half-written files are still there")
                .isDirectory();
        assertThat(cache.find(KEY)).isEmpty();
        AtomicInteger builds = new AtomicInteger();
        BuiltModelCache.Entry entry = cache.obtain(KEY, dir -> {
            builds.incrementAndGet();
            Files.writeString(dir.resolve("model.onnx"), "built after the kill");
        });

        assertThat(builds).hasValue(1);
        assertThat(entry.reused()).isFalse();
        assertThat(Files.readString(entry.directory().resolve("model.onnx"))).isEqualTo("built after the kill");
        assertThat(entry.directory().resolve("model.onnx_data")).doesNotExist();
        assertThat(staging).doesNotExist();
        assertThat(leftStaging(root)).isEmpty();
    }

    @Test
    void aKeyThatIsNotSixtyFourLowercaseHexCharactersIsRefused() {
        BuiltModelCache cache = new BuiltModelCache(root);
        AtomicInteger builds = new AtomicInteger();
        List<String> invalid = new ArrayList<>(
                List.of("", KEY.substring(1), KEY + "0", KEY.toUpperCase(), "../" + KEY.substring(3), "g".repeat(64)));
        invalid.add(null);

        for (String key : invalid) {
            assertThatThrownBy(() -> cache.obtain(key, staging -> builds.incrementAndGet()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> cache.find(key)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(builds).hasValue(0);
    }

    /** What is left of builds of {@link #KEY} in the cache's staging directory. */
    private static List<Path> leftStaging(Path cacheRoot) throws IOException {
        try (Stream<Path> children = Files.list(cacheRoot.resolve(BuiltModelCache.STAGING))) {
            return children.filter(p -> p.getFileName().toString().startsWith(KEY))
                    .toList();
        }
    }

    private Child startLockHolder() throws IOException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        CacheLockHolder.class.getName(),
                        root.toString(),
                        KEY)
                .redirectErrorStream(true)
                .start();
        children.add(process);
        return new Child(process);
    }

    /** A child process spoken to in lines; what it logs is skipped. */
    private static final class Child {

        final Process process;
        private final BufferedReader out;

        Child(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** The next line starting with {@code prefix}; fails if the child ends first. */
        String awaitLine(String prefix) {
            List<String> skipped = new ArrayList<>();
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                    skipped.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new AssertionError("the child ended before printing " + prefix + ": " + String.join("\n", skipped));
        }

        void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
    }

    /** Counts the cache's "waiting" log lines, so a test knows an obtain is blocked on a lock held by another. */
    private static final class Waits extends AppenderBase<ILoggingEvent> {

        final Semaphore inThisProcess = new Semaphore(0);
        final Semaphore inAnotherProcess = new Semaphore(0);

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getMessage().startsWith("Waiting for this worker's build")) {
                inThisProcess.release();
            } else if (event.getMessage().startsWith("Waiting for another worker's build")) {
                inAnotherProcess.release();
            }
        }
    }
}
