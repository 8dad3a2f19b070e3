package ai.assay.core.lmeval.testing;

import ai.assay.core.datasets.DatasetProperties;
import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.TaskDocs;
import ai.assay.core.lmeval.taskfiles.LmEvalTaskFiles;
import ai.assay.core.lmeval.taskfiles.LmEvalTaskFilesProperties;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.TaskPrompts;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import ai.assay.reference.lmeval.testing.TestDatasets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The shipped task catalog over the test datasets, offline. */
public final class LmEvalFixtures {

    public static final LmEvalCatalog CATALOG = new LmEvalCatalog();

    private final DatasetResolver datasets;

    public LmEvalFixtures(Path temp) {
        Path dir = TestDatasets.writeTo(temp.resolve("datasets"));
        this.datasets = offlineDatasets(dir, temp.resolve("cache"));
    }

    /** Datasets read from {@code dir} only (offline, no retries), caching under {@code cache}. */
    public static DatasetResolver offlineDatasets(Path dir, Path cache) {
        return new DatasetResolver(
                new DatasetProperties(
                        dir,
                        null,
                        URI.create("http://127.0.0.1:9"),
                        null,
                        true,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        0,
                        Duration.ZERO),
                cache);
    }

    /**
     * The catalog with the generation tasks, their files read offline from the shared fixtures (callers mark
     * themselves {@code @RequiresSharedFixtures}).
     */
    public static LmEvalCatalog generationCatalog(Path cache) {
        return new LmEvalCatalog(
                new LmEvalTaskFiles(LmEvalTaskFilesProperties.of(SharedFixtures.tasks(), true), cache));
    }

    public DatasetResolver datasets() {
        return datasets;
    }

    public static LmEvalTask task(String name) {
        return CATALOG.task(name).orElseThrow();
    }

    public List<DocRequests> requests(String task, int numFewshot) {
        return requests(task, numFewshot, null);
    }

    public List<DocRequests> requests(String task, int numFewshot, Integer limit) {
        LmEvalTask t = task(task);
        return TaskDocs.load(t, TaskPrompts.effectiveShots(t.config(), numFewshot), datasets)
                .requests(numFewshot, 1234, limit);
    }
}
