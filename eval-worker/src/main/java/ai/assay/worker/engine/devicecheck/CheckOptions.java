package ai.assay.worker.engine.devicecheck;

import ai.assay.worker.engine.builder.GraphVariant;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import ai.assay.worker.engine.runtime.ExecutionDevice;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The device check's command line.
 *
 * @param device    where the decoder runs
 * @param shape     the model shape
 * @param dtype     the checkpoint's weights type (bf16 or fp16); the builder picks the graph's from it
 * @param work      where the checkpoint and its build are written (reused when already there)
 * @param out       the results file
 * @param batches   the batch sizes measured, ascending
 * @param bandwidth the GPU's memory bandwidth, when given or known from {@code gpuName}
 * @param gpuName   the card's name as nvidia-smi gives it, or empty
 * @param threads   ONNX Runtime's intra-op threads, and the checkpoint writer's
 * @param variant   the graph to build, where not the one the builder picks for the device (the CPU dry run builds
 *                  the fused graph the GPU runs, in float32)
 */
public record CheckOptions(
        ExecutionDevice device,
        CheckShape shape,
        TensorDtype dtype,
        Path work,
        Path out,
        List<Integer> batches,
        Optional<Bandwidth> bandwidth,
        String gpuName,
        int threads,
        Optional<GraphVariant> variant) {

    static final String USAGE = """
            usage: DeviceCheck --work DIR --out results.json [--device cuda|cuda:N|cpu] [--shape tiny|1b|8b]
                               [--dtype bf16|fp16] [--batches 1,8,32,64] [--bandwidth-gbs N] [--gpu-name NAME]
                               [--threads N] [--variant cpu-fp32|fused-fp32|fused-fp16|fused-bf16]
            Writes a random checkpoint of the shape into DIR, builds it for the device, checks where the KV cache
            lives and measures prefill, decode and scoring rates and greedy tokens into results.json.""";

    public CheckOptions {
        batches = List.copyOf(batches);
        if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("--batches needs positive sizes: " + batches);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1: " + threads);
        }
    }

    /** Parses {@code args}; an unknown or incomplete option is refused with the usage. */
    public static CheckOptions parse(String... args) {
        ExecutionDevice device = ExecutionDevice.cuda(0);
        CheckShape shape = CheckShape.LLAMA_1B;
        TensorDtype dtype = TensorDtype.BF16;
        Path work = null;
        Path out = null;
        List<Integer> batches = List.of(1, 8, 32, 64);
        Double bandwidthGbs = null;
        String gpuName = "";
        int threads = Runtime.getRuntime().availableProcessors();
        Optional<GraphVariant> variant = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--device" -> device = ExecutionDevice.parse(value);
                case "--shape" -> shape = CheckShape.parse(value);
                case "--dtype" -> dtype = parseDtype(value);
                case "--work" -> work = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--batches" ->
                    batches = Arrays.stream(value.split(","))
                            .map(String::trim)
                            .map(Integer::parseInt)
                            .sorted()
                            .distinct()
                            .toList();
                case "--bandwidth-gbs" -> bandwidthGbs = Double.parseDouble(value);
                case "--gpu-name" -> gpuName = value.trim();
                case "--threads" -> threads = Integer.parseInt(value);
                case "--variant" -> variant = Optional.of(GraphVariant.parse(value));
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        if (work == null || out == null) {
            throw new IllegalArgumentException("--work and --out are required\n" + USAGE);
        }
        String card = gpuName;
        Optional<Bandwidth> bandwidth = bandwidthGbs != null
                ? Optional.of(Bandwidth.given(bandwidthGbs))
                : card.isEmpty() ? Optional.empty() : Bandwidth.forGpu(card);
        return new CheckOptions(device, shape, dtype, work, out, batches, bandwidth, gpuName, threads, variant);
    }

    private static TensorDtype parseDtype(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "bf16", "bfloat16" -> TensorDtype.BF16;
            case "fp16", "f16", "float16" -> TensorDtype.F16;
            default -> throw new IllegalArgumentException("unknown --dtype '" + value + "': bf16 or fp16");
        };
    }
}
