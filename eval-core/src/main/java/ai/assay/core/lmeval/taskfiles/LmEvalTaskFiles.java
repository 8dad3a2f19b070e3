package ai.assay.core.lmeval.taskfiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * lm-eval's task files at a pinned commit, without shipping them: the generation tasks' YAML files hold few-shot
 * exemplars and prompts that belong to lm-eval and the benchmarks' authors. A file is found, by its path under
 * lm-eval's {@code lm_eval/tasks/}, in this order:
 * <ol>
 * <li>{@code assay.lmeval.tasks-dir}, a directory laid out as {@code lm_eval/tasks/}: taken as it is, so a user may
 * edit a task. Its checksum is not enforced; a file that differs from the manifest's is logged once, since its
 * numbers are then not lm-eval's;</li>
 * <li>the cache, {@code <cache-dir>/<commit>/<path>}, used only when its SHA-256 is the manifest's (a copy that is
 * not is downloaded again, or is an error offline);</li>
 * <li>lm-eval's repository at the commit ({@link TaskFileDownloader}, retried), unless {@code assay.lmeval.offline}:
 * accepted only when its SHA-256 is the one the {@link TaskFileManifest} lists, then cached. A file the manifest
 * does not list is never downloaded, since it could not be verified.</li>
 * </ol>
 * What is read is held in memory, so a file is read once and what is parsed is what was verified. Thread-safe;
 * concurrent first downloads of one file each download it and write it to the cache atomically.
 */
@Component
public class LmEvalTaskFiles {

    private static final Logger log = LoggerFactory.getLogger(LmEvalTaskFiles.class);

    private final LmEvalTaskFilesProperties properties;
    private final TaskFileManifest manifest;
    private final Path cacheDirectory;
    private final TaskFileDownloader downloader;
    private final Set<String> reportedEdits = ConcurrentHashMap.newKeySet();

    @Autowired
    public LmEvalTaskFiles(LmEvalTaskFilesProperties properties, Environment environment) {
        this(properties, defaultCacheRoot(properties, environment.getProperty("assay.cache-dir")));
    }

    /**
     * For code outside Spring (tools, tests): the cache root is given.
     *
     * @throws IllegalArgumentException when the manifest is not for {@code assay.lmeval.commit}
     */
    public LmEvalTaskFiles(LmEvalTaskFilesProperties properties, Path cacheRoot) {
        this.properties = properties;
        this.manifest = manifestFor(properties);
        this.cacheDirectory = cacheRoot.resolve(properties.commit());
        this.downloader = new TaskFileDownloader(properties);
    }

    /** {@code assay.lmeval.cache-dir}, else {@code ${assay.cache-dir}/lmeval/tasks}, else under the home directory. */
    static Path defaultCacheRoot(LmEvalTaskFilesProperties properties, String assayCacheDir) {
        if (properties.cacheDir() != null) {
            return properties.cacheDir();
        }
        Path root = assayCacheDir != null && !assayCacheDir.isBlank()
                ? Path.of(assayCacheDir)
                : Path.of(System.getProperty("user.home"), ".cache", "assay");
        return root.resolve("lmeval").resolve("tasks");
    }

    private static TaskFileManifest manifestFor(LmEvalTaskFilesProperties properties) {
        if (properties.manifest() == null) {
            TaskFileManifest pinned = TaskFileManifest.pinned();
            if (!pinned.commit().equals(properties.commit())) {
                throw new IllegalArgumentException(("assay.lmeval.commit is %s, but the shipped manifest of lm-eval's"
                                + " task files is for %s: set assay.lmeval.manifest to a manifest of that commit's"
                                + " files and their SHA-256")
                        .formatted(properties.commit(), pinned.commit()));
            }
            return pinned;
        }
        TaskFileManifest given = TaskFileManifest.read(properties.manifest());
        if (!given.commit().equals(properties.commit())) {
            throw new IllegalArgumentException("assay.lmeval.manifest %s is for commit %s, not assay.lmeval.commit %s"
                    .formatted(properties.manifest(), given.commit(), properties.commit()));
        }
        return given;
    }

    public TaskFileManifest manifest() {
        return manifest;
    }

    /** Where downloads of this commit are cached: {@code <cache root>/<commit>}, laid out as {@code lm_eval/tasks/}. */
    public Path cacheDirectory() {
        return cacheDirectory;
    }

    /** Where a file is downloaded from. */
    public URI location(String path) {
        return downloader.location(TaskFilePaths.requireValid(path));
    }

    /**
     * The files to load for a task or group of the manifest, for {@code TaskFileLoader}; files they include are
     * found through {@link LmEvalTaskFile#relative} when they are loaded.
     *
     * @throws IllegalArgumentException     when the manifest has no such name
     * @throws TaskFileUnavailableException when a file cannot be had
     */
    public List<LmEvalTaskFile> filesOf(String name) {
        return filesOf(List.of(name));
    }

    /**
     * The files to load for several tasks or groups, each file once (a group and one of its subtasks share a file), in
     * path order.
     *
     * @throws IllegalArgumentException     when the manifest lacks one of the names
     * @throws TaskFileUnavailableException when a file cannot be had
     */
    public List<LmEvalTaskFile> filesOf(Collection<String> names) {
        SortedSet<String> paths = new TreeSet<>();
        for (String name : names) {
            List<String> listed = manifest.tasks().get(name);
            if (listed == null) {
                throw new IllegalArgumentException(
                        "the manifest of lm-eval's task files at %s has no task or group '%s'"
                                .formatted(manifest.commit(), name));
            }
            paths.addAll(listed);
        }
        return paths.stream().map(this::file).toList();
    }

    /**
     * Every file of the manifest, each found as {@link #file} finds it: run online once to fill the cache for an
     * offline deployment.
     */
    public List<LmEvalTaskFile> allFiles() {
        List<LmEvalTaskFile> files = new ArrayList<>();
        for (String path : manifest.files().keySet()) {
            files.add(file(path));
        }
        return files;
    }

    /**
     * One file by its path under {@code lm_eval/tasks/}, for example {@code gsm8k/gsm8k-cot.yaml}.
     *
     * @throws IllegalArgumentException     when {@code path} is not a normal relative path inside the tree
     * @throws TaskFileUnavailableException when it cannot be had: the message names the file, where it was looked
     *                                      for, and the settings that would help
     */
    public LmEvalTaskFile file(String path) {
        TaskFilePaths.requireValid(path);
        Optional<String> expected = manifest.sha256(path);
        Optional<LmEvalTaskFile> local = fromTasksDir(path, expected);
        if (local.isPresent()) {
            return local.get();
        }
        Path cached = cacheDirectory.resolve(path);
        if (expected.isPresent() && Files.isRegularFile(cached)) {
            byte[] bytes = read(path, cached);
            String actual = Sha256.of(bytes);
            if (actual.equals(expected.get())) {
                return new LmEvalTaskFile(this, path, TaskFileOrigin.CACHE, cached.toString(), bytes);
            }
            if (properties.offline()) {
                throw new TaskFileUnavailableException(
                        path,
                        ("the cached copy %s of lm-eval task file %s has SHA-256 %s, not the manifest's %s for commit"
                                        + " %s, and assay.lmeval.offline=true forbids downloading it again: delete it"
                                        + " and download it online, or put the file into assay.lmeval.tasks-dir (%s)")
                                .formatted(
                                        cached, path, actual, expected.get(), manifest.commit(), tasksDirFile(path)));
            }
            log.warn(
                    "Cached lm-eval task file {} has SHA-256 {}, not the manifest's {}; downloading it again",
                    cached,
                    actual,
                    expected.get());
            delete(cached);
        }
        URI url = downloader.location(path);
        if (properties.offline()) {
            throw new TaskFileUnavailableException(
                    path,
                    ("lm-eval task file %s (commit %s) is not available offline: it is in neither"
                                    + " assay.lmeval.tasks-dir (%s) nor the cache (%s), and assay.lmeval.offline=true"
                                    + " forbids downloading %s. Copy lm-eval's lm_eval/tasks/ at that commit into"
                                    + " assay.lmeval.tasks-dir, or run once online to fill the cache"
                                    + " (assay.lmeval.cache-dir)")
                            .formatted(path, manifest.commit(), tasksDirFile(path), cached, url));
        }
        if (expected.isEmpty()) {
            throw new TaskFileUnavailableException(
                    path,
                    ("lm-eval task file %s is not in the manifest of commit %s, so a download of it could not be"
                                    + " verified; put it into assay.lmeval.tasks-dir (%s)")
                            .formatted(path, manifest.commit(), tasksDirFile(path)));
        }
        byte[] bytes = downloader.fetch(path);
        String actual = Sha256.of(bytes);
        if (!actual.equals(expected.get())) {
            throw new TaskFileUnavailableException(
                    path,
                    ("the download of lm-eval task file %s from %s has SHA-256 %s, but the manifest of commit %s"
                                    + " expects %s; nothing was cached (check assay.lmeval.base-url, or a proxy that"
                                    + " rewrites files)")
                            .formatted(path, url, actual, manifest.commit(), expected.get()));
        }
        store(path, cached, bytes);
        log.info("Downloaded lm-eval task file {} from {} into {}", path, url, cached);
        return new LmEvalTaskFile(this, path, TaskFileOrigin.DOWNLOAD, url + " (cached as " + cached + ")", bytes);
    }

    private Optional<LmEvalTaskFile> fromTasksDir(String path, Optional<String> expected) {
        if (properties.tasksDir() == null) {
            return Optional.empty();
        }
        Path file = properties.tasksDir().resolve(path);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] bytes = read(path, file);
        if (reportedEdits.add(path)) {
            String actual = Sha256.of(bytes);
            if (expected.isEmpty()) {
                log.info(
                        "lm-eval task file {} is read from {} as it is: not in the manifest of commit {}",
                        path,
                        file,
                        manifest.commit());
            } else if (!actual.equals(expected.get())) {
                log.info(
                        "lm-eval task file {} is read from {} as it is: it differs from commit {} (SHA-256 {}, not {}),"
                                + " so its numbers may not be lm-eval's",
                        path,
                        file,
                        manifest.commit(),
                        actual,
                        expected.get());
            }
        }
        return Optional.of(new LmEvalTaskFile(this, path, TaskFileOrigin.TASKS_DIR, file.toString(), bytes));
    }

    private String tasksDirFile(String path) {
        return properties.tasksDir() == null
                ? "not set"
                : properties.tasksDir().resolve(path).toString();
    }

    private static byte[] read(String path, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lm-eval task file %s at %s".formatted(path, file), e);
        }
    }

    /** Writes next to the target, then moves it in, so that a reader never sees half a file. */
    private static void store(String path, Path target, byte[] bytes) {
        Path temporary = null;
        try {
            Files.createDirectories(target.getParent());
            temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".download");
            Files.write(temporary, bytes);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache lm-eval task file %s at %s".formatted(path, target), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless: it is never read
                }
            }
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the corrupt cached copy " + file, e);
        }
    }
}
