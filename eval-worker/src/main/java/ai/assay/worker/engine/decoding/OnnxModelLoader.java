package ai.assay.worker.engine.decoding;

import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelBuild;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.ModelLoader;
import ai.assay.worker.engine.Placement;
import ai.assay.worker.engine.builder.BuiltModelCache;
import ai.assay.worker.engine.builder.CheckpointBuilds;
import ai.assay.worker.engine.prompt.ModelText;
import ai.assay.worker.engine.prompt.ModelTextLoader;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.DeviceProbe;
import ai.assay.worker.engine.runtime.ExecutionDevice;
import ai.assay.worker.engine.runtime.RunnerOptions;
import ai.assay.worker.engine.runtime.TensorSpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Loads an ONNX decoder export (Optimum or genai builder layout, fp32/fp16/bf16) on the configured device, or a
 * Hugging Face checkpoint directory, whose decoder is built first ({@link CheckpointBuilds}) and whose tokenizer is
 * read from the checkpoint.
 * {@code auto} tries CUDA first and says why it fell back to the CPU; on CUDA it checks that the KV cache really
 * lives in device memory before accepting the model.
 */
@Component
public class OnnxModelLoader implements ModelLoader {

    private static final Logger log = LoggerFactory.getLogger(OnnxModelLoader.class);

    private final EngineProperties properties;
    private final ModelTextLoader textLoader;
    private CheckpointBuilds builds;

    public OnnxModelLoader(EngineProperties properties, ModelTextLoader textLoader) {
        this.properties = properties;
        this.textLoader = textLoader;
    }

    /** Loads on {@code assay.engine.device}. */
    public LanguageModel load(Path directory, String chatTemplateOverride) {
        Placement placement;
        try {
            placement = Placement.parse(properties.device());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("assay.engine.device: " + e.getMessage(), e);
        }
        return load(directory, chatTemplateOverride, placement);
    }

    @Override
    public LanguageModel load(Path directory, String chatTemplateOverride, Placement placement) {
        ModelBuild build = null;
        Path graphDirectory = directory;
        if (CheckpointBuilds.isCheckpoint(directory)) {
            CheckpointBuilds.Built built = builds().build(directory, variantChoice(placement));
            graphDirectory = built.directory();
            build = built.build();
            log.info(
                    "{} checkpoint {} as {} ({})",
                    build.reused() ? "Reusing the build of" : "Built",
                    directory,
                    graphDirectory,
                    built.variant().label());
        }
        ModelDirectory model = ModelDirectory.open(graphDirectory);
        boolean auto = placement.cpuFallback();
        ExecutionDevice device = placement.device();
        checkWeightsFit(model, directory);
        Set<String> ops = graphOps(model);
        ModelText text = textLoader.load(directory, chatTemplateOverride);
        DecoderRunner runner;
        try {
            runner = openRunner(model, device, auto, DecoderLayout.fromOps(ops));
        } catch (RuntimeException e) {
            closeQuietly(text);
            throw e;
        }
        try {
            DecoderLayout layout = DecoderLayout.detect(
                    runner.signature(), ops, model.modelFile().getFileName().toString());
            ExecutionDevice used = runner.device();
            if (used.isCuda()) {
                try {
                    runner.verifyKvPlacement();
                } catch (IllegalStateException e) {
                    throw new ModelLoadException(
                            "CUDA start-up check failed for " + model.modelFile() + ": " + e.getMessage(), e);
                }
            }
            TensorSpec logits = runner.signature().output("logits").orElseThrow();
            int vocab = logits.rank() == 3 && logits.dim(2) > 0 ? (int) logits.dim(2) : runner.vocabSize();
            int maxLength = maxLength(model, text);
            ModelInfo info = new ModelInfo(
                    layout.label(),
                    runner.kvType().shortName(),
                    used.toString(),
                    maxLength,
                    vocab,
                    text.bosTokenId(),
                    text.eosTokenIds(),
                    text.addBosToken());
            long heldWeights = runner.hasPrefillGraph() ? 2 * model.weightBytes() : model.weightBytes();
            BatchLimits limits = limits(memoryLimit(used), heldWeights, vocab);
            log.info(
                    "Loaded {} ({} layout, {}, {} MB of weights) on {}: max length {}, vocabulary {}, batches of "
                            + "up to {} rows / {} prefill tokens{}",
                    model.modelFile(),
                    layout.label(),
                    info.dtype(),
                    model.weightBytes() >> 20,
                    used,
                    maxLength,
                    vocab,
                    limits.maxBatchSize(),
                    limits.maxBatchTokens(),
                    runner.hasPrefillGraph() ? ", a copy of the graph without its logits for shared contexts" : "");
            return new OnnxLanguageModel(info, text, runner, layout, limits, build);
        } catch (RuntimeException e) {
            runner.close();
            closeQuietly(text);
            throw e;
        }
    }

    private static void closeQuietly(ModelText text) {
        if (text.resources() != null) {
            try {
                text.resources().close();
            } catch (Exception e) {
                log.warn("Could not close the tokenizer: {}", e.toString());
            }
        }
    }

    /**
     * The graph a checkpoint is built into for {@code placement}: {@code assay.engine.build-variant} where set, else
     * the fused graph where CUDA starts (probed first, so that a worker on {@code auto} without a GPU builds the CPU
     * graph instead of a CUDA graph it would then run on the CPU).
     */
    private CheckpointBuilds.VariantChoice variantChoice(Placement placement) {
        return properties
                .forcedBuildVariant()
                .map(CheckpointBuilds.VariantChoice::always)
                .orElseGet(() -> CheckpointBuilds.VariantChoice.forDevice(
                        placement.device().isCuda() && DeviceProbe.starts(placement.device())));
    }

    /** The cache of checkpoint builds, opened on first use so a worker that only loads exports makes no directory. */
    private synchronized CheckpointBuilds builds() {
        if (builds == null) {
            builds = new CheckpointBuilds(new BuiltModelCache(properties.buildCache()));
        }
        return builds;
    }

    /** @param layout the layout the graph's operator types point to (checked once the runner is open) */
    private DecoderRunner openRunner(ModelDirectory model, ExecutionDevice device, boolean auto, DecoderLayout layout) {
        int threads = properties.effectiveThreads();
        if (device.isCuda()) {
            try {
                return DecoderRunner.open(
                        model.modelFile(),
                        options(device, threads).withPrefillGraph(wantsPrefillGraph(model, device, layout)));
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(model.modelFile() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                if (!auto) {
                    throw new ModelLoadException(
                            "the CUDA execution provider did not start on " + device + " for " + model.modelFile()
                                    + ": " + e.getMessage(),
                            e);
                }
                log.info("Not using CUDA ({}); running {} on the CPU", firstLine(e.getMessage()), model.modelFile());
            }
        }
        try {
            return DecoderRunner.open(
                    model.modelFile(),
                    options(ExecutionDevice.CPU, threads)
                            .withPrefillGraph(wantsPrefillGraph(model, ExecutionDevice.CPU, layout)));
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(model.modelFile() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ModelLoadException("ONNX Runtime could not load " + model.modelFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether to keep a second copy of the graph, without its logits, for the prefills of shared-context scoring
     * (it skips the projection onto the vocabulary at every context position): only for a layout that shares
     * contexts (genai graphs never do, so the copy would only hold the weights twice), when the model is one file
     * (the copy is pruned in the Java heap, and external weight files are named relative to the original) of at
     * most a quarter of the heap, and its weights fit the memory limit twice. On CUDA the limit is known only from
     * {@code assay.engine.max-memory}; without it the decoder does the prefills.
     */
    private boolean wantsPrefillGraph(ModelDirectory model, ExecutionDevice device, DecoderLayout layout) {
        long limit = memoryLimit(device);
        // The load's log line says whether the copy was made.
        return layout.batchedStepsAfterPast()
                && model.weightFiles().size() == 1
                && limit > 0
                && 2 * model.weightBytes() <= limit
                && model.weightBytes() <= Runtime.getRuntime().maxMemory() / 4;
    }

    private RunnerOptions options(ExecutionDevice device, int threads) {
        return RunnerOptions.on(device, threads).withSpinWait(properties.spinWait());
    }

    private static Set<String> graphOps(ModelDirectory model) {
        try {
            return GraphOps.of(model.modelFile());
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("cannot read the graph of " + model.modelFile() + ": " + e.getMessage(), e);
        }
    }

    private int maxLength(ModelDirectory model, ModelText text) {
        if (model.maxLength() != null) {
            return model.maxLength();
        }
        if (text.modelMaxLength() != null && text.modelMaxLength() > 0 && text.modelMaxLength() < 10_000_000) {
            return text.modelMaxLength();
        }
        return properties.defaultMaxLength();
    }

    /**
     * ORT reads the weights into host memory before it places them, so they must fit 90% of physical memory on
     * any device, and the configured limit when there is one.
     */
    private void checkWeightsFit(ModelDirectory model, Path directory) {
        long physical = physicalMemoryLimit();
        long configured =
                properties.maxMemory() == null ? 0 : properties.maxMemory().toBytes();
        boolean byConfig = configured > 0 && (physical == 0 || configured <= physical);
        long limit = byConfig ? configured : physical;
        if (limit > 0 && model.weightBytes() > limit) {
            throw new ModelLoadException(model.weightFileNames() + " in " + directory + " hold "
                    + DataSize.ofBytes(model.weightBytes()).toMegabytes() + " MB of weights, more than the memory "
                    + "limit of " + DataSize.ofBytes(limit).toMegabytes() + " MB ("
                    + (byConfig ? "assay.engine.max-memory" : "90% of physical memory") + ")");
        }
    }

    /** The configured limit; else, on the CPU, 90% of physical memory; on CUDA unknown (0: not checked). */
    private long memoryLimit(ExecutionDevice device) {
        if (properties.maxMemory() != null) {
            return properties.maxMemory().toBytes();
        }
        return device.isCuda() ? 0 : physicalMemoryLimit();
    }

    private static long physicalMemoryLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return (long) (os.getTotalMemorySize() * 0.9);
        }
        return 0;
    }

    /**
     * Batch limits within the memory left after the weights: a prefill's logits (float, plus the same again for
     * the log-softmax of scoring) at most a quarter of it, the KV cache at most a half.
     */
    private BatchLimits limits(long memoryLimit, long weightBytes, int vocab) {
        int tokens = properties.maxBatchTokens();
        long kvBytes = Long.MAX_VALUE;
        if (memoryLimit > 0) {
            long free = Math.max(0, memoryLimit - weightBytes);
            long logitsTokens = free / 4 / (8L * vocab);
            tokens = (int) Math.max(16, Math.min(tokens, logitsTokens));
            kvBytes = Math.max(1, free / 2);
        }
        return BatchLimits.of(properties.maxBatchSize(), tokens, kvBytes);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
