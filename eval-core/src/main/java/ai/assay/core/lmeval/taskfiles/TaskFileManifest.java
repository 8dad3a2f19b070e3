package ai.assay.core.lmeval.taskfiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lm-eval task files the service downloads, at one commit: each file by its path under {@code lm_eval/tasks/}
 * with its SHA-256 there, and for each task or group name the files to load for it (a group's own file and its
 * subtasks' files; files they {@code include:} are fetched through {@link LmEvalTaskFile#relative}, and are listed in
 * {@link #files()} too). Paths and checksums are facts about lm-eval's repository; the files' text is not shipped.
 *
 * <p>The shipped manifest ({@link #pinned()}) is for {@link #PINNED_COMMIT}; its checksums were computed from
 * byte-identical copies of the files at that commit. Its JSON format:
 * <pre>{@code
 * {"commit": "<40 hex>", "files": {"gsm8k/gsm8k-cot.yaml": "<sha-256>", ...},
 *  "tasks": {"gsm8k_cot": ["gsm8k/gsm8k-cot.yaml"], ...}}
 * }</pre>
 *
 * @param commit the lm-eval commit the checksums are for
 * @param files  in path order, SHA-256 (lower-case hex) by path under {@code lm_eval/tasks/}, {@code /}-separated
 * @param tasks  in name order, the files to load by task or group name
 */
public record TaskFileManifest(String commit, Map<String, String> files, Map<String, List<String>> tasks) {

    /** lm-eval v0.4.12+48, the commit every lm-eval number of Assay is matched against. */
    public static final String PINNED_COMMIT = "4e7e0d47f33bc71070c1d38394bafbb52b117163";

    static final String PINNED_RESOURCE = "pinned-manifest.json";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public TaskFileManifest {
        if (commit == null || !commit.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException(
                    "the manifest's commit must be a full commit hash (40 lower-case hex digits), not " + commit);
        }
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        SortedMap<String, List<String>> copied = new TreeMap<>();
        tasks.forEach((name, paths) -> copied.put(name, List.copyOf(paths)));
        tasks = Collections.unmodifiableSortedMap(copied);
        for (Map.Entry<String, String> file : files.entrySet()) {
            TaskFilePaths.requireValid(file.getKey());
            if (!file.getValue().matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("the checksum of %s is not a SHA-256 in lower-case hex: %s"
                        .formatted(file.getKey(), file.getValue()));
            }
        }
        for (Map.Entry<String, List<String>> task : tasks.entrySet()) {
            for (String path : task.getValue()) {
                if (!files.containsKey(path)) {
                    throw new IllegalArgumentException(
                            "%s lists %s but the manifest has no checksum for it".formatted(task.getKey(), path));
                }
            }
        }
    }

    /** The shipped manifest, for {@link #PINNED_COMMIT}. */
    public static TaskFileManifest pinned() {
        try (InputStream in = TaskFileManifest.class.getResourceAsStream(PINNED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the shipped lm-eval task file manifest " + PINNED_RESOURCE + " is missing from the classpath");
            }
            return parse(MAPPER.readTree(in), PINNED_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped lm-eval task file manifest", e);
        }
    }

    /** A manifest file (for a commit other than the pinned one). */
    public static TaskFileManifest read(Path file) {
        JsonNode json;
        try {
            json = MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lm-eval task file manifest " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "the lm-eval task file manifest %s is not valid JSON: %s".formatted(file, e.getMessage()), e);
        }
        return parse(json, file.toString());
    }

    private static TaskFileManifest parse(JsonNode json, String source) {
        if (!json.path("commit").isString() || !json.path("files").isObject()) {
            throw new IllegalArgumentException(
                    "the lm-eval task file manifest %s lacks 'commit' or 'files'".formatted(source));
        }
        Map<String, String> files = new LinkedHashMap<>();
        json.get("files")
                .properties()
                .forEach(entry -> files.put(entry.getKey(), entry.getValue().asString()));
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        json.path("tasks").properties().forEach(entry -> {
            List<String> paths = new ArrayList<>();
            entry.getValue().forEach(path -> paths.add(path.asString()));
            tasks.put(entry.getKey(), paths);
        });
        try {
            return new TaskFileManifest(json.get("commit").asString(), files, tasks);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the lm-eval task file manifest %s: %s".formatted(source, e.getMessage()), e);
        }
    }

    /** The checksum of a file at {@link #commit()}, if the manifest lists it. */
    public Optional<String> sha256(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /** The task and group names the manifest has files for, in order. */
    public Set<String> names() {
        return tasks.keySet();
    }
}
