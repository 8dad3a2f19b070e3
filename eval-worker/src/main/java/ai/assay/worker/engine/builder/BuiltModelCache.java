package ai.assay.worker.engine.builder;

import ai.assay.worker.engine.ModelLoadException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk cache of models built from checkpoints, shared by every worker that mounts the same directory.
 * Building a decoder takes minutes and as much disk as the weights, so a key is built once: a build holds the key's
 * lock, which is both an in-process lock and an OS file lock on {@code .locks/<key>.lock} (the file lock alone
 * would not do: inside one JVM {@link FileChannel#lock} refuses a second holder instead of waiting). Whoever waited
 * for the lock finds the finished entry and reuses it.
 * <p>A build is written into {@code .staging/<key>-<random>/}, then a marker file ({@value #MARKER}, holding the
 * key) is written last, everything is fsynced, and the directory is renamed to {@code <key>/} in one atomic step.
 * So an entry directory is either complete or, if something else put it there, lacks the marker: such a directory
 * is never returned, and the next build of its key removes it. A staging directory left by a build that was killed
 * is removed by the next build of its key, which can tell it is dead because it holds the lock the dead build held.
 * <p>Entries are immutable and never removed by the cache: a worker may be reading one at any time.
 */
public final class BuiltModelCache {

    /** The file a complete entry holds, written last; its content is the entry's key. */
    static final String MARKER = ".complete";

    static final String STAGING = ".staging";
    static final String LOCKS = ".locks";

    private static final Logger log = LoggerFactory.getLogger(BuiltModelCache.class);
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    /**
     * The in-process half of each key's lock, by the lock file's real path: shared by every instance in this JVM,
     * because two instances on one directory would otherwise each take the file lock and one would be refused.
     */
    private static final ConcurrentMap<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

    private final Path root;

    /** A cache in {@code root}, created (with its parents) if missing. */
    public BuiltModelCache(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
            Files.createDirectories(this.root.resolve(STAGING));
            Files.createDirectories(this.root.resolve(LOCKS));
        } catch (IOException e) {
            throw new ModelLoadException("the build cache directory " + root + " cannot be created: " + e, e);
        }
    }

    /**
     * The complete entry for {@code key}, built now by {@code build} (into an empty staging directory) if absent.
     * Blocks while another thread or process builds the same key, then reuses its entry.
     *
     * @throws IllegalArgumentException if the key is not 64 lowercase hex characters
     * @throws ModelLoadException       if the build or the cache's own file operations fail; no entry is left
     */
    public Entry obtain(String key, Build build) {
        checkKey(key);
        Path entry = root.resolve(key);
        if (isComplete(entry, key)) {
            return new Entry(entry, true);
        }
        ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(lockFile(key), path -> new ReentrantLock());
        lockLocally(local, key);
        try (FileChannel channel =
                        FileChannel.open(lockFile(key), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockAcrossProcesses(channel, key)) {
            if (isComplete(entry, key)) {
                return new Entry(entry, true);
            }
            removeLeftovers(key, entry);
            return new Entry(buildUnderLock(key, entry, build), false);
        } catch (IOException e) {
            throw new ModelLoadException("the build cache failed for key " + key + ": " + e, e);
        } finally {
            local.unlock();
        }
    }

    /** A complete entry's directory, else empty; never waits for a build in progress. */
    public Optional<Path> find(String key) {
        checkKey(key);
        Path entry = root.resolve(key);
        return isComplete(entry, key) ? Optional.of(entry) : Optional.empty();
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a build cache key is 64 lowercase hex characters, not " + key);
        }
    }

    private Path lockFile(String key) {
        return root.resolve(LOCKS).resolve(key + ".lock");
    }

    private static void lockLocally(ReentrantLock local, String key) {
        if (local.tryLock()) {
            return;
        }
        log.info("Waiting for this worker's build of model {} to finish", key);
        try {
            local.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelLoadException("interrupted while waiting for the build of model " + key, e);
        }
    }

    private static FileLock lockAcrossProcesses(FileChannel channel, String key) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock != null) {
            return lock;
        }
        log.info("Waiting for another worker's build of model {} to finish", key);
        return channel.lock();
    }

    /**
     * Under the key's lock nobody else is building it, so any staging directory of the key is a dead build's, and an
     * entry directory without its marker was not made by this cache's rename: both go.
     */
    private void removeLeftovers(String key, Path entry) throws IOException {
        Path staging = root.resolve(STAGING);
        if (Files.exists(entry)) {
            log.warn("Removing the incomplete build cache entry {} (no {} marker); building it again", entry, MARKER);
            Path doomed = newStagingDirectory(key + "-incomplete-");
            Files.move(entry, doomed.resolve("entry"), StandardCopyOption.ATOMIC_MOVE);
        }
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> children = Files.list(staging)) {
            children.filter(p -> p.getFileName().toString().startsWith(key + "-"))
                    .forEach(leftovers::add);
        }
        for (Path leftover : leftovers) {
            log.warn("Removing {}, left by a build of model {} that did not finish", leftover, key);
            deleteRecursively(leftover);
        }
    }

    private Path buildUnderLock(String key, Path entry, Build build) throws IOException {
        Path staging = newStagingDirectory(key + "-");
        log.info("Building model {} into {}", key, staging);
        try {
            build.writeInto(staging);
        } catch (IOException e) {
            deleteQuietly(staging, e);
            throw new ModelLoadException("building model " + key + " failed: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(staging, e);
            throw e;
        }
        try {
            syncTree(staging);
            Path marker = staging.resolve(MARKER);
            Files.writeString(marker, key + "\n", StandardCharsets.US_ASCII);
            sync(marker);
            sync(staging);
            Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
            sync(root);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staging, e);
            throw e;
        }
        log.info("Built model {} into {}", key, entry);
        return entry;
    }

    /**
     * A new directory under {@code .staging/} with the default permissions: not {@link Files#createTempDirectory}'s
     * owner-only ones, which the renamed entry would keep and other workers' users could not read.
     */
    private Path newStagingDirectory(String prefix) throws IOException {
        while (true) {
            String name =
                    prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            try {
                return Files.createDirectory(root.resolve(STAGING).resolve(name));
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
    }

    private static boolean isComplete(Path entry, String key) {
        try {
            return Files.isDirectory(entry)
                    && Files.readString(entry.resolve(MARKER), StandardCharsets.US_ASCII)
                            .strip()
                            .equals(key);
        } catch (IOException e) {
            return false;
        }
    }

    /** Fsyncs every file and directory under {@code dir}, children first, as far as the file system lets us. */
    private static void syncTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    sync(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                sync(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Best effort: a file the build made read-only is opened for reading, which fsync accepts on Linux; a directory
     * cannot be opened on some platforms, and then its rename is as durable as the platform makes it.
     */
    private static void sync(Path path) {
        for (StandardOpenOption mode : List.of(StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            if (mode == StandardOpenOption.WRITE && Files.isDirectory(path)) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(path, mode)) {
                channel.force(true);
                return;
            } catch (IOException | UnsupportedOperationException e) {
                log.debug("Cannot fsync {} opened for {}: {}", path, mode, e.toString());
            }
        }
    }

    private static void deleteQuietly(Path dir, Throwable cause) {
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        }
    }

    /** Writes a model's files into an empty staging directory; the cache makes it an entry only if this returns. */
    @FunctionalInterface
    public interface Build {
        void writeInto(Path stagingDirectory) throws IOException;
    }

    /**
     * A complete entry.
     *
     * @param directory the entry's directory, {@code <root>/<key>}; never changes once it exists
     * @param reused    whether it was built earlier (by anyone) rather than by this call
     */
    public record Entry(Path directory, boolean reused) {}
}
