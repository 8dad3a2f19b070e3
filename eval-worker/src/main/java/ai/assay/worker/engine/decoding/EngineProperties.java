package ai.assay.worker.engine.decoding;

import ai.assay.worker.engine.builder.GraphVariant;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.util.List;
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
    public java.util.Optional<GraphVariant> forcedBuildVariant() {
        return buildVariant.equalsIgnoreCase("auto")
                ? java.util.Optional.empty()
                : java.util.Optional.of(GraphVariant.parse(buildVariant));
    }

    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Defaults for code that runs outside Spring (tests, the benchmark). */
    public static EngineProperties defaults() {
        return new EngineProperties("auto", 0, 32, 8192, null, 2048, true, List.of(), false, null, "auto", 1);
    }

    public EngineProperties withDevice(String newDevice) {
        return new EngineProperties(
                newDevice,
                threads,
                maxBatchSize,
                maxBatchTokens,
                maxMemory,
                defaultMaxLength,
                spinWait,
                devices,
                shareDevices,
                buildCache,
                buildVariant,
                replicasPerJob);
    }

    public EngineProperties withThreads(int newThreads) {
        return new EngineProperties(
                device,
                newThreads,
                maxBatchSize,
                maxBatchTokens,
                maxMemory,
                defaultMaxLength,
                spinWait,
                devices,
                shareDevices,
                buildCache,
                buildVariant,
                replicasPerJob);
    }

    public EngineProperties withMaxBatchSize(int size) {
        return new EngineProperties(
                device,
                threads,
                size,
                maxBatchTokens,
                maxMemory,
                defaultMaxLength,
                spinWait,
                devices,
                shareDevices,
                buildCache,
                buildVariant,
                replicasPerJob);
    }

    public EngineProperties withMaxBatchTokens(int tokens) {
        return new EngineProperties(
                device,
                threads,
                maxBatchSize,
                tokens,
                maxMemory,
                defaultMaxLength,
                spinWait,
                devices,
                shareDevices,
                buildCache,
                buildVariant,
                replicasPerJob);
    }

    public EngineProperties withSpinWait(boolean enabled) {
        return new EngineProperties(
                device,
                threads,
                maxBatchSize,
                maxBatchTokens,
                maxMemory,
                defaultMaxLength,
                enabled,
                devices,
                shareDevices,
                buildCache,
                buildVariant,
                replicasPerJob);
    }

    public EngineProperties withMaxMemory(DataSize memory) {
        return new EngineProperties(
                device,
                threads,
                maxBatchSize,
                maxBatchTokens,
                memory,
                defaultMaxLength,
                spinWait,
                devices,
                shareDevices,
                buildCache,
                buildVariant,
                replicasPerJob);
    }

    public EngineProperties withBuildVariant(String variant) {
        return new EngineProperties(
                device,
                threads,
                maxBatchSize,
                maxBatchTokens,
                maxMemory,
                defaultMaxLength,
                spinWait,
                devices,
                shareDevices,
                buildCache,
                variant,
                replicasPerJob);
    }

    public EngineProperties withBuildCache(Path directory) {
        return new EngineProperties(
                device,
                threads,
                maxBatchSize,
                maxBatchTokens,
                maxMemory,
                defaultMaxLength,
                spinWait,
                devices,
                shareDevices,
                directory,
                buildVariant,
                replicasPerJob);
    }
}
