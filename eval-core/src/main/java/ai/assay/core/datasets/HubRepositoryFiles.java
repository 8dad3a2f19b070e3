package ai.assay.core.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Single files of Hugging Face dataset repositories (such as AlpacaEval's {@code df_gamed.csv}), with the same
 * settings, cache and checksums as dataset splits. A file is cached as a one-file entry keyed
 * {@code <repository> / files@<revision> / <file name>}.
 */
@Component
public class HubRepositoryFiles {

    private final DatasetProperties properties;
    private final DatasetCache cache;
    private final HubDownloader hub;

    @Autowired
    public HubRepositoryFiles(DatasetProperties properties, Environment environment) {
        this(properties, DatasetResolver.defaultCacheRoot(properties, environment.getProperty("assay.cache-dir")));
    }

    public HubRepositoryFiles(DatasetProperties properties, Path cacheRoot) {
        this.properties = properties;
        this.cache = new DatasetCache(cacheRoot);
        this.hub = new HubDownloader(properties);
    }

    /**
     * The file, from the cache or downloaded into it.
     *
     * @throws DatasetUnavailableException naming the file and where it was looked for, when it cannot be had
     */
    public Path datasetFile(String repository, String revision, String file) {
        DatasetSplit key = new DatasetSplit(repository, "files@" + revision, file);
        try {
            Optional<DatasetCache.CachedSplit> cached = cache.find(key);
            if (cached.isPresent()) {
                return cached.get().files().get(0);
            }
        } catch (DatasetCache.CorruptCacheException e) {
            cache.evict(key);
        }
        var url = hub.repositoryFileUrl(repository, revision, file);
        if (properties.offline()) {
            throw new DatasetUnavailableException(
                    key,
                    ("%s of %s is not cached (%s) and assay.datasets.offline=true" + " forbids downloading %s")
                            .formatted(file, repository, cache.directoryOf(key), url));
        }
        Path staging = cache.newStagingDirectory(key);
        try {
            DatasetCache.Shard shard = hub.downloadFile(key, url, staging);
            return cache.store(key, staging, List.of(shard)).files().get(0);
        } finally {
            DatasetCache.deleteRecursively(staging);
        }
    }
}
