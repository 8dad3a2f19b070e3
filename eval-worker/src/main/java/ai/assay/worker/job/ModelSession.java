package ai.assay.worker.job;

import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.outbound.FileRoots;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.ModelLoader;
import ai.assay.worker.engine.Placement;
import ai.assay.worker.engine.replicas.ReplicatedLanguageModel;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's model: loaded on first use, shared by the job's tasks, and closed (freeing its native memory) when the
 * job ends, whatever way it ends. A load failure is remembered, so every task that needs the model fails with
 * the same clear error without trying again. The model directory is opened only under {@code assay.models.roots},
 * its symbolic links resolved. What was built to run a model loaded from a checkpoint is recorded on the evaluation
 * before any task uses the model; a write that failed (a lost lease, a database away) stops the job, is no load
 * failure, and is tried again if the model is asked for again.
 */
final class ModelSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelSession.class);

    private final ModelLoader loader;
    private final FileRoots roots;
    private final ModelRef model;
    private final List<Placement> placements;
    private final ModelBuildRecorder builds;
    private LanguageModel loaded;
    private boolean buildRecorded;
    private ModelLoadException failure;

    /**
     * @param placement the device of the job's {@link ai.assay.worker.engine.DeviceSlots} lease
     * @param builds    records the model's build on the job's evaluation
     */
    ModelSession(ModelLoader loader, FileRoots roots, ModelRef model, Placement placement, ModelBuildRecorder builds) {
        this(loader, roots, model, List.of(placement), builds);
    }

    /**
     * @param placements the devices of the job's lease: the model is loaded once on each, and several make a
     *                   {@link ReplicatedLanguageModel} ({@code assay.engine.replicas-per-job})
     */
    ModelSession(
            ModelLoader loader,
            FileRoots roots,
            ModelRef model,
            List<Placement> placements,
            ModelBuildRecorder builds) {
        this.loader = loader;
        this.roots = roots;
        this.model = model;
        this.placements = List.copyOf(placements);
        this.builds = builds;
    }

    synchronized LanguageModel get() {
        if (loaded == null) {
            loaded = load();
        }
        if (!buildRecorded) {
            loaded.build().ifPresent(builds::record);
            buildRecorded = true;
        }
        return loaded;
    }

    private LanguageModel load() {
        if (failure != null) {
            throw failure;
        }
        try {
            if (loader == null) {
                throw new ModelLoadException("this worker has no model engine, so it cannot load " + model.uri());
            }
            if (model.uri() == null) {
                throw new ModelLoadException("the evaluation names no model directory (model.uri), which this task"
                        + " needs: only tasks given their outputs run without one");
            }
            // the API checked the roots at submission; the worker checks again where the files really are
            Path directory = roots.requireReadable(Path.of(URI.create(model.uri())));
            log.info(
                    "Loading model {} from {} on {}",
                    model.name(),
                    directory,
                    placements.size() == 1 ? placements.get(0) : placements);
            return ReplicatedLanguageModel.load(
                    placements, placement -> loader.load(directory, model.chatTemplate(), placement));
        } catch (ModelLoadException e) {
            failure = e;
            throw e;
        } catch (RuntimeException e) {
            failure = new ModelLoadException(
                    "could not load the model at %s: %s".formatted(model.uri(), e.getMessage()), e);
            throw failure;
        }
    }

    @Override
    public synchronized void close() {
        if (loaded != null) {
            try {
                loaded.close();
            } catch (RuntimeException e) {
                log.warn("Closing model {} failed", model.name(), e);
            }
            loaded = null;
        }
    }
}
