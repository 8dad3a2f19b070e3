package ai.assay.worker.engine.devicecheck;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A GPU's memory bandwidth for the batch-1 decode roofline, and where the figure came from: given on the command line,
 * or NVIDIA's datasheet figure for the card nvidia-smi names.
 *
 * @param gigabytesPerSecond 10^9 bytes per second
 * @param source             how the figure was found, for the report
 */
public record Bandwidth(double gigabytesPerSecond, String source) {

    /** A datasheet figure, matched on a lower-case fragment of nvidia-smi's name for the card; first match wins. */
    private record Card(String nameFragment, String card, double gigabytesPerSecond) {}

    // Most specific first: "H100 NVL" and "H100 PCIe" before the SXM part, whose nvidia-smi name is "H100 80GB HBM3".
    private static final List<Card> DATASHEET = List.of(
            new Card("h200", "H200 (SXM or NVL)", 4800),
            new Card("h100 nvl", "H100 NVL", 3900),
            new Card("h100 pcie", "H100 PCIe", 2000),
            new Card("h100", "H100 SXM", 3350),
            new Card("a100 80gb pcie", "A100 80GB PCIe", 1935),
            new Card("a100-sxm4-80gb", "A100 80GB SXM", 2039),
            new Card("a100", "A100 40GB", 1555));

    public static Bandwidth given(double gigabytesPerSecond) {
        if (!(gigabytesPerSecond > 0)) {
            throw new IllegalArgumentException("--bandwidth-gbs must be positive: " + gigabytesPerSecond);
        }
        return new Bandwidth(gigabytesPerSecond, "given with --bandwidth-gbs");
    }

    /** The datasheet figure for the card nvidia-smi calls {@code gpuName}, if it is one of the known cards. */
    public static Optional<Bandwidth> forGpu(String gpuName) {
        String name = gpuName.toLowerCase(Locale.ROOT);
        return DATASHEET.stream()
                .filter(c -> name.contains(c.nameFragment()))
                .findFirst()
                .map(c -> new Bandwidth(
                        c.gigabytesPerSecond(),
                        "NVIDIA's datasheet figure for the " + c.card() + " (nvidia-smi names the card '" + gpuName
                                + "')"));
    }
}
