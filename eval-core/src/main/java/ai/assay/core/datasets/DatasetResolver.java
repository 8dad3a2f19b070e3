package ai.assay.core.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds the rows of a Hugging Face dataset split, in this order:
 * <ol>
 * <li>{@code assay.datasets.dir}: {@code <dir>/<dataset id>/<config>/<split>.parquet}, else {@code .jsonl};</li>
 * <li>the cache ({@code assay.datasets.cache-dir}), checksums verified on every read;</li>
 * <li>the Hub's parquet files (unless {@code assay.datasets.offline}), then cached.</li>
 * </ol>
 * Thread-safe; concurrent first downloads of one split each download and the last one wins, harmlessly.
 */
@Component
public class DatasetResolver {

    private static final Logger log = LoggerFactory.getLogger(DatasetResolver.class);

    private final DatasetProperties properties;
    private final DatasetCache cache;
    private final HubDownloader hub;

    @Autowired
    public DatasetResolver(DatasetProperties properties, Environment environment) {
        this(properties, defaultCacheRoot(properties, environment.getProperty("assay.cache-dir")));
    }

    /** For code outside Spring (tools, tests): the cache root is given. */
    public DatasetResolver(DatasetProperties properties, Path cacheRoot) {
        this.properties = properties;
        this.cache = new DatasetCache(cacheRoot);
        this.hub = new HubDownloader(properties);
    }

    static Path defaultCacheRoot(DatasetProperties properties, String assayCacheDir) {
        if (properties.cacheDir() != null) {
            return properties.cacheDir();
        }
        if (assayCacheDir != null && !assayCacheDir.isBlank()) {
            return Path.of(assayCacheDir).resolve("datasets");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "assay", "datasets");
    }

    public Path cacheRoot() {
        return cache.root();
    }

    /**
     * The rows of a split.
     *
     * @throws DatasetUnavailableException when it is nowhere to be had; the message names every place looked
     */
    public DatasetRows load(DatasetSplit split) {
        Optional<Path> local = localFile(split);
        if (local.isPresent()) {
            Path file = local.get();
            return new DatasetRows(
                    split, RowFiles.read(file), DatasetOrigin.DIRECTORY, file.toString(), Sha256.of(file));
        }
        try {
            Optional<DatasetCache.CachedSplit> cached = cache.find(split);
            if (cached.isPresent()) {
                return rowsOf(split, cached.get(), DatasetOrigin.CACHE);
            }
        } catch (DatasetCache.CorruptCacheException e) {
            if (properties.offline()) {
                throw new DatasetUnavailableException(
                        split,
                        ("the cached copy of %s is corrupt (%s) and"
                                        + " assay.datasets.offline=true forbids downloading it again")
                                .formatted(split, e.getMessage()));
            }
            log.warn("Cached copy of {} is corrupt ({}); downloading it again", split, e.getMessage());
            cache.evict(split);
        }
        if (properties.offline()) {
            throw new DatasetUnavailableException(
                    split,
                    ("%s is not available offline: looked for %s and %s,"
                                    + " and assay.datasets.offline=true forbids downloading %s")
                            .formatted(
                                    split,
                                    lookedForLocally(split),
                                    cache.directoryOf(split).resolve(DatasetCache.MANIFEST),
                                    hub.listingUrl(split)));
        }
        Path staging = cache.newStagingDirectory(split);
        try {
            List<DatasetCache.Shard> shards;
            try {
                shards = hub.download(split, staging);
            } catch (DatasetUnavailableException e) {
                throw new DatasetUnavailableException(
                        split,
                        e.getMessage() + "; also looked for " + lookedForLocally(split) + " and "
                                + cache.directoryOf(split),
                        e);
            }
            return rowsOf(split, cache.store(split, staging, shards), DatasetOrigin.HUB);
        } finally {
            DatasetCache.deleteRecursively(staging);
        }
    }

    private DatasetRows rowsOf(DatasetSplit split, DatasetCache.CachedSplit cached, DatasetOrigin origin) {
        List<ObjectNode> rows = new ArrayList<>();
        for (Path file : cached.files()) {
            rows.addAll(RowFiles.readParquet(file));
        }
        String location = cached.files().size() == 1
                ? cached.files().get(0).toString()
                : cache.directoryOf(split).toString();
        return new DatasetRows(split, rows, origin, location, cached.sha256());
    }

    private Optional<Path> localFile(DatasetSplit split) {
        if (properties.dir() == null) {
            return Optional.empty();
        }
        Path directory = properties.dir().resolve(split.dataset()).resolve(split.config());
        for (String extension : List.of(".parquet", ".jsonl")) {
            Path file = directory.resolve(split.split() + extension);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    private String lookedForLocally(DatasetSplit split) {
        if (properties.dir() == null) {
            return "no assay.datasets.dir (not set)";
        }
        Path base = properties
                .dir()
                .resolve(split.dataset())
                .resolve(split.config())
                .resolve(split.split());
        return base + ".parquet|.jsonl";
    }
}
