package ai.assay.reference.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

/** Writes a benchmark's results under docs/benchmarks/, with the machine and the date. */
public final class BenchmarkReport {

    private BenchmarkReport() {}

    /** The repository's docs/benchmarks folder, from a module's working directory. */
    public static Path folder() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs/benchmarks"))) {
                return dir.resolve("docs/benchmarks");
            }
        }
        throw new IllegalStateException("no docs/benchmarks above " + here);
    }

    public static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse(cpu);
        } catch (IOException e) {
            // not Linux: keep "unknown CPU"
        }
        long memoryGiB = Math.round(((com.sun.management.OperatingSystemMXBean)
                                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize()
                / (1024.0 * 1024 * 1024));
        return "%s, %d cores, %d GiB, %s %s, Java %s"
                .formatted(
                        cpu,
                        Runtime.getRuntime().availableProcessors(),
                        memoryGiB,
                        System.getProperty("os.name"),
                        System.getProperty("os.arch"),
                        System.getProperty("java.version"));
    }

    public static void write(String file, String title, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder("# ")
                .append(title)
                .append("\n\n")
                .append("Measured on ")
                .append(LocalDate.now())
                .append(", ")
                .append(machine())
                .append(".\n\n");
        lines.forEach(line -> text.append(line).append('\n'));
        Files.writeString(folder().resolve(file), text.toString());
    }
}
