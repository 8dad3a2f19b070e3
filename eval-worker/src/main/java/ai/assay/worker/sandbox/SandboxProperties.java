package ai.assay.worker.sandbox;

import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The sandbox's tools and limits, under {@code assay.code-execution} beside the gate itself
 * ({@code assay.code-execution.enabled}, {@link ai.assay.core.task.CodeExecutionProperties}, which the API reads
 * too): settings of the deployment, never of a request.
 *
 * @param bwrap       bubblewrap's executable
 * @param python      the interpreter run inside the sandbox; it must live under {@code /usr}, the only tree the
 *                    sandbox sees
 * @param prlimit     util-linux's {@code prlimit}, run inside the sandbox to set the limits; under {@code /usr} too
 * @param choom       util-linux's {@code choom}, run inside the sandbox to make its processes the out-of-memory
 *                    killer's first choice ({@code oom_score_adj} 1000), before the worker's JVM; under {@code /usr}
 * @param setpriv     util-linux's {@code setpriv}, used only when the worker runs as root, to start bubblewrap as
 *                    {@code nobody} (the kernel exempts root's processes from the process limit)
 * @param parallelism programs run at a time; null or 0 means the available processors
 * @param memory      the address-space limit of each process ({@code RLIMIT_AS})
 * @param cpuTime     the CPU-time limit of each process ({@code RLIMIT_CPU}), whole seconds, at least 1
 * @param processes   processes and threads one program may have at once, the sandbox's own two included
 *                    ({@code RLIMIT_NPROC}, counted within the program's own user namespace)
 * @param fileSize    the largest file a program may write ({@code RLIMIT_FSIZE})
 * @param tmpSize     the size of the program's private, writable {@code /tmp} (a tmpfs)
 * @param outputLimit how much of stdout and of stderr is kept, each; the rest is read and dropped
 */
@Validated
@ConfigurationProperties("assay.code-execution")
public record SandboxProperties(
        @DefaultValue("/usr/bin/bwrap") Path bwrap,
        @DefaultValue("/usr/bin/python3") Path python,
        @DefaultValue("/usr/bin/prlimit") Path prlimit,
        @DefaultValue("/usr/bin/choom") Path choom,
        @DefaultValue("/usr/bin/setpriv") Path setpriv,
        Integer parallelism,
        @DefaultValue("1GB") DataSize memory,
        @DefaultValue("10s") Duration cpuTime,
        @DefaultValue("64") @Min(8) int processes,
        @DefaultValue("16MB") DataSize fileSize,
        @DefaultValue("64MB") DataSize tmpSize,
        @DefaultValue("64KB") DataSize outputLimit) {

    public SandboxProperties {
        if (parallelism == null || parallelism <= 0) {
            parallelism = Runtime.getRuntime().availableProcessors();
        }
        if (cpuTime.toSeconds() < 1) {
            throw new IllegalArgumentException("assay.code-execution.cpu-time must be at least 1s, got " + cpuTime);
        }
    }

    /** The defaults above; tests and benchmarks change single limits with the withers. */
    public static SandboxProperties defaults() {
        return new SandboxProperties(
                Path.of("/usr/bin/bwrap"),
                Path.of("/usr/bin/python3"),
                Path.of("/usr/bin/prlimit"),
                Path.of("/usr/bin/choom"),
                Path.of("/usr/bin/setpriv"),
                null,
                DataSize.ofGigabytes(1),
                Duration.ofSeconds(10),
                64,
                DataSize.ofMegabytes(16),
                DataSize.ofMegabytes(64),
                DataSize.ofKilobytes(64));
    }

    public SandboxProperties withBwrap(Path path) {
        return new SandboxProperties(
                path,
                python,
                prlimit,
                choom,
                setpriv,
                parallelism,
                memory,
                cpuTime,
                processes,
                fileSize,
                tmpSize,
                outputLimit);
    }

    public SandboxProperties withPython(Path path) {
        return new SandboxProperties(
                bwrap,
                path,
                prlimit,
                choom,
                setpriv,
                parallelism,
                memory,
                cpuTime,
                processes,
                fileSize,
                tmpSize,
                outputLimit);
    }

    public SandboxProperties withParallelism(int threads) {
        return new SandboxProperties(
                bwrap,
                python,
                prlimit,
                choom,
                setpriv,
                threads,
                memory,
                cpuTime,
                processes,
                fileSize,
                tmpSize,
                outputLimit);
    }

    public SandboxProperties withCpuTime(Duration limit) {
        return new SandboxProperties(
                bwrap,
                python,
                prlimit,
                choom,
                setpriv,
                parallelism,
                memory,
                limit,
                processes,
                fileSize,
                tmpSize,
                outputLimit);
    }
}
