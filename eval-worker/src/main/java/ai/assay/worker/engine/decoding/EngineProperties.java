package ai.assay.worker.engine.decoding;

import ai.assay.worker.engine.builder.GraphVariant;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the ONNX Runtime engine, under {@code assay.engine}.
 *
 * @param device           {@code auto} (CUDA device 0 when the CUDA provider starts, else the CPU, with the reason
 *                         logged), {@code cpu}, {@code cuda} or {@code cuda:N} (fail when CUDA does not start)
 * @param threads          ORT intra-op threads; 0 for one per available processor. Fixed by the first model the
 *                         process loads (ORT has one environment per process)
 * @param maxBatchSize     the most sequences decoded together
 * @param maxBatchTokens   the most token positions (rows × padded length) in one prefill or scoring pass; the
 *                         logits of a pass take this × vocabulary × 4 bytes on the device
 * @param maxMemory        what the model may use: weights, KV cache and logits; unset means 90% of physical memory
 *                         for the CPU and no limit checked for CUDA (set it to the GPU's memory there)
 * @param defaultMaxLength the longest sequence when neither genai_config.json, config.json nor
 *                         tokenizer_config.json says
 * @param spinWait         whether ORT's threads spin between parallel sections: faster on a dedicated machine,
 *                         much slower when other processes compete for the cores (fixed like {@code threads})
 * @param devices          the devices the worker's concurrent jobs are spread over, one engine each, in
 *                         {@code device}'s syntax (e.g. {@code cuda:0,cuda:1}); empty: one per GPU the process
 *                         sees for {@code auto} or {@code cuda}, else {@code device} ({@code DeviceSlots})
 * @param shareDevices     whether two engines may run on one GPU when the concurrency (times
 *                         {@code replicasPerJob}) exceeds the GPUs (refused otherwise)
 * @param buildCache       where decoders built from Hugging Face checkpoints are kept, shared by the workers that
 *                         mount it ({@code BuiltModelCache}); unset: {@code assay-model-builds} in the temporary
 *                         directory
 * @param buildVariant     which graph a checkpoint is built into: {@code auto} (the fused fp16/bf16 graph on CUDA,
 *                         the float32 graph on the CPU), or {@code cpu-fp32}, {@code fused-fp32}, {@code fused-fp16},
 *                         {@code fused-bf16} ({@code GraphVariant})
 * @param replicasPerJob   data parallelism inside a job: how many devices each job takes, loading its model once on
 *                         each and splitting every generation and scoring call across those replicas
 *                         ({@code ReplicatedLanguageModel}); 1 loads the model once
 */
@Validated
@ConfigurationProperties("assay.engine")
public record EngineProperties(
        @DefaultValue("auto") String device,
        @DefaultValue("0") @Min(0) int threads,
        @DefaultValue("32") @Min(1) int maxBatchSize,
        @DefaultValue("8192") @Min(16) int maxBatchTokens,
        DataSize maxMemory,
        @DefaultValue("2048") @Min(16) int defaultMaxLength,
        @DefaultValue("true") boolean spinWait,
        @DefaultValue("") List<String> devices,
        @DefaultValue("false") boolean shareDevices,
        Path buildCache,
        @DefaultValue("auto") String buildVariant,
        @DefaultValue("1") @Min(1) int replicasPerJob) {

    public EngineProperties {
        devices = devices == null
                ? List.of()
                : devices.stream().filter(d -> !d.isBlank()).toList();
        if (buildCache == null) {
            buildCache = Path.of(System.getProperty("java.io.tmpdir"), "assay-model-builds");
        }
        if (buildVariant == null || buildVariant.isBlank()) {
            buildVariant = "auto";
        } else if (!buildVariant.equalsIgnoreCase("auto")) {
            GraphVariant.parse(buildVariant);
        }
    }

    /** The variant {@code buildVariant} names; empty for {@code auto}. */
    public Optional<GraphVariant> forcedBuildVariant() {
        return buildVariant.equalsIgnoreCase("auto") ? Optional.empty() : Optional.of(GraphVariant.parse(buildVariant));
    }

    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Defaults for code that runs outside Spring (tests, the benchmark). */
    public static EngineProperties defaults() {
        return new EngineProperties("auto", 0, 32, 8192, null, 2048, true, List.of(), false, null, "auto", 1);
    }

    public EngineProperties withDevice(String newDevice) {
        return with(c -> c.device = newDevice);
    }

    public EngineProperties withThreads(int newThreads) {
        return with(c -> c.threads = newThreads);
    }

    public EngineProperties withMaxBatchSize(int size) {
        return with(c -> c.maxBatchSize = size);
    }

    public EngineProperties withMaxBatchTokens(int tokens) {
        return with(c -> c.maxBatchTokens = tokens);
    }

    public EngineProperties withSpinWait(boolean enabled) {
        return with(c -> c.spinWait = enabled);
    }

    public EngineProperties withMaxMemory(DataSize memory) {
        return with(c -> c.maxMemory = memory);
    }

    public EngineProperties withBuildVariant(String variant) {
        return with(c -> c.buildVariant = variant);
    }

    public EngineProperties withBuildCache(Path directory) {
        return with(c -> c.buildCache = directory);
    }

    /** A copy with {@code change} applied: the one place besides the record header that lists every setting. */
    private EngineProperties with(Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return new EngineProperties(
                c.device,
                c.threads,
                c.maxBatchSize,
                c.maxBatchTokens,
                c.maxMemory,
                c.defaultMaxLength,
                c.spinWait,
                c.devices,
                c.shareDevices,
                c.buildCache,
                c.buildVariant,
                c.replicasPerJob);
    }

    /** The settings as fields, for {@link #with}. */
    private static final class Copy {
        String device;
        int threads;
        int maxBatchSize;
        int maxBatchTokens;
        DataSize maxMemory;
        int defaultMaxLength;
        boolean spinWait;
        List<String> devices;
        boolean shareDevices;
        Path buildCache;
        String buildVariant;
        int replicasPerJob;

        Copy(EngineProperties p) {
            device = p.device;
            threads = p.threads;
            maxBatchSize = p.maxBatchSize;
            maxBatchTokens = p.maxBatchTokens;
            maxMemory = p.maxMemory;
            defaultMaxLength = p.defaultMaxLength;
            spinWait = p.spinWait;
            devices = p.devices;
            shareDevices = p.shareDevices;
            buildCache = p.buildCache;
            buildVariant = p.buildVariant;
            replicasPerJob = p.replicasPerJob;
        }
    }
}
