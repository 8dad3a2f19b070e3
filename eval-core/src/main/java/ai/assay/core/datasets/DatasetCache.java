package ai.assay.core.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Downloaded splits on disk: {@code <root>/<dataset id>/<config>/<split>/} holds the parquet shards and a
 * {@code manifest.json} with each shard's size and SHA-256. The manifest is written last, so a split without one is
 * incomplete; every read verifies the checksums.
 */
final class DatasetCache {

    static final String MANIFEST = "manifest.json";

    /** A cached split whose files all match their checksums. */
    record CachedSplit(List<Path> files, String sha256) {}

    /** A shard to cache: a downloaded file in the staging directory, with where it came from. */
    record Shard(String name, Path file, String url) {}

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final Path root;

    DatasetCache(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path directoryOf(DatasetSplit split) {
        return root.resolve(split.dataset()).resolve(split.config()).resolve(split.split());
    }

    /**
     * The cached split, if it is complete and intact.
     *
     * @throws CorruptCacheException when a file is missing or its checksum differs from the manifest's
     */
    Optional<CachedSplit> find(DatasetSplit split) {
        Path directory = directoryOf(split);
        Path manifestFile = directory.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            return Optional.empty();
        }
        JsonNode manifest;
        try {
            manifest = MAPPER.readTree(manifestFile.toFile());
        } catch (RuntimeException e) {
            throw new CorruptCacheException("%s is not valid JSON".formatted(manifestFile));
        }
        List<Path> files = new ArrayList<>();
        List<String> checksums = new ArrayList<>();
        for (JsonNode entry : manifest.path("files")) {
            Path file = directory.resolve(entry.path("name").asString());
            String expected = entry.path("sha256").asString();
            if (!file.normalize().startsWith(directory) || !Files.isRegularFile(file)) {
                throw new CorruptCacheException("%s lists %s, which is missing".formatted(manifestFile, file));
            }
            String actual = Sha256.of(file);
            if (!actual.equals(expected)) {
                throw new CorruptCacheException(
                        "%s has SHA-256 %s, but %s recorded %s".formatted(file, actual, manifestFile, expected));
            }
            files.add(file);
            checksums.add(actual);
        }
        if (files.isEmpty()) {
            throw new CorruptCacheException("%s lists no files".formatted(manifestFile));
        }
        return Optional.of(new CachedSplit(files, Sha256.combined(checksums)));
    }

    /** A fresh staging directory next to the split's directory, on the same file system. */
    Path newStagingDirectory(DatasetSplit split) {
        try {
            Path parent = directoryOf(split).getParent();
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, "." + split.split() + ".download-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a download directory under " + root, e);
        }
    }

    /** Moves downloaded shards into the cache and writes the manifest last. */
    CachedSplit store(DatasetSplit split, Path staging, List<Shard> shards) {
        ObjectNode manifest = MAPPER.createObjectNode();
        manifest.put("dataset", split.dataset());
        manifest.put("config", split.config());
        manifest.put("split", split.split());
        manifest.put("downloadedAt", Instant.now().toString());
        ArrayNode entries = manifest.putArray("files");
        List<String> checksums = new ArrayList<>();
        try {
            for (Shard shard : shards) {
                String checksum = Sha256.of(shard.file());
                checksums.add(checksum);
                entries.addObject()
                        .put("name", shard.name())
                        .put("sha256", checksum)
                        .put("size", Files.size(shard.file()))
                        .put("url", shard.url());
            }
            Files.writeString(
                    staging.resolve(MANIFEST),
                    MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
            Path directory = directoryOf(split);
            if (Files.exists(directory)) {
                deleteRecursively(directory);
            }
            try {
                Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, directory);
            }
            List<Path> files = shards.stream()
                    .map(shard -> directory.resolve(shard.name()))
                    .toList();
            return new CachedSplit(files, Sha256.combined(checksums));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store %s in the cache under %s".formatted(split, root), e);
        }
    }

    /** Removes a cached split (used when its checksums no longer match). */
    void evict(DatasetSplit split) {
        deleteRecursively(directoryOf(split));
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var paths = Files.walk(path)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /** A cached split that fails verification. */
    static final class CorruptCacheException extends RuntimeException {

        CorruptCacheException(String message) {
            super(message);
        }
    }
}
