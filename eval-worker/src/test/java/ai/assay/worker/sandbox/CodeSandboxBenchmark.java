package ai.assay.worker.sandbox;

import ai.assay.reference.lmeval.code.ProgramResult;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import ai.assay.reference.testing.BenchmarkReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Programs per second through the sandbox: the canonical solutions of the 20 HumanEval fixture rows, each as
 * lm-eval's humaneval task builds its program ({@code prompt + canonical_solution + "\n" + test + "\n" +
 * "check(entry_point)"}), repeated, at parallelism 1 and 2; and what the sandbox adds to each program's start: an
 * empty program through the executor against {@code python3 -I -B -c pass} started directly, and bubblewrap alone
 * (the same namespaces, running {@code /usr/bin/true}). Not a test: it asserts nothing and writes
 * docs/benchmarks/code-sandbox.md. Run with {@code ./mvnw -B verify -pl eval-worker -am -Dassay.excludedGroups=none
 * -Dgroups=benchmark -Dtest=CodeSandboxBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
@RequiresSharedFixtures
class CodeSandboxBenchmark {

    private static final int ROUNDS = Integer.getInteger("assay.bench.rounds", 5);
    private static final int STARTS = Integer.getInteger("assay.bench.starts", 40);
    private static final Duration WALL = Duration.ofSeconds(60);

    @Test
    void programsPerSecondAndStartUpCost() throws Exception {
        List<String> problems = new ArrayList<>();
        for (ObjectNode row : SharedFixtures.rows("openai/openai_humaneval", "default", "test")) {
            problems.add(
                    row.get("prompt").asString() + row.get("canonical_solution").asString() + "\n"
                            + row.get("test").asString() + "\n" + "check("
                            + row.get("entry_point").asString() + ")");
        }
        List<String> programs = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            programs.addAll(problems);
        }

        List<String> lines = new ArrayList<>(List.of(
                "The canonical solutions of the %d HumanEval fixture rows, as lm-eval builds each program, run %d times"
                                .formatted(problems.size(), ROUNDS)
                        + " (%d programs) through `BubblewrapProgramExecutor` with its default limits, after one"
                                .formatted(programs.size())
                        + " warm-up run. Each program is a fresh bubblewrap sandbox with python3 inside.",
                "",
                "| parallelism | programs | passed | seconds | programs/s |",
                "|---:|---:|---:|---:|---:|"));
        for (int parallelism : new int[] {1, 2}) {
            try (BubblewrapProgramExecutor executor = new BubblewrapProgramExecutor(
                    new ai.assay.core.task.CodeExecutionProperties(true),
                    SandboxProperties.defaults().withParallelism(parallelism))) {
                executor.run(problems, WALL);
                long start = System.nanoTime();
                List<ProgramResult> results = executor.run(programs, WALL);
                double seconds = (System.nanoTime() - start) / 1e9;
                long passed = results.stream().filter(ProgramResult::passed).count();
                lines.add(String.format(
                        Locale.ROOT,
                        "| %d | %d | %d | %.2f | %.1f |",
                        parallelism,
                        programs.size(),
                        passed,
                        seconds,
                        programs.size() / seconds));
            }
        }

        double direct = medianMillis(() -> start("/usr/bin/python3", "-I", "-B", "-c", "pass"));
        double bwrapAlone = medianMillis(() -> start(
                "/usr/bin/bwrap",
                "--unshare-user",
                "--unshare-pid",
                "--unshare-net",
                "--unshare-ipc",
                "--unshare-uts",
                "--unshare-cgroup",
                "--die-with-parent",
                "--new-session",
                "--clearenv",
                "--ro-bind",
                "/usr",
                "/usr",
                "--symlink",
                "usr/lib",
                "/lib",
                "--symlink",
                "usr/lib64",
                "/lib64",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--",
                "/usr/bin/true"));
        double sandboxed;
        try (BubblewrapProgramExecutor executor = new BubblewrapProgramExecutor(
                new ai.assay.core.task.CodeExecutionProperties(true),
                SandboxProperties.defaults().withParallelism(1))) {
            executor.run(List.of("pass"), WALL);
            sandboxed = medianMillis(() -> executor.run(List.of("pass"), WALL));
        }
        lines.addAll(List.of(
                "",
                "Start-up, one at a time, median of %d starts each:".formatted(STARTS),
                "",
                "| what | ms |",
                "|---|---:|",
                String.format(Locale.ROOT, "| `python3 -I -B -c pass`, started directly | %.1f |", direct),
                String.format(
                        Locale.ROOT,
                        "| bubblewrap alone (same namespaces and mounts, runs `/usr/bin/true`) | %.1f |",
                        bwrapAlone),
                String.format(
                        Locale.ROOT,
                        "| an empty program through the executor (setpriv when root, bubblewrap, choom, prlimit, python3)"
                                + " | %.1f |",
                        sandboxed),
                String.format(Locale.ROOT, "| what the sandbox adds to each program | %.1f |", sandboxed - direct),
                "",
                "`nproc`: %d. The JVM ran as %s, so bubblewrap was %s. A HumanEval program spends most of its time"
                                .formatted(
                                        Runtime.getRuntime().availableProcessors(),
                                        isRoot() ? "root" : "an unprivileged user",
                                        isRoot() ? "started through setpriv as nobody" : "started directly")
                        + " starting a sandboxed interpreter, so throughput grows with parallelism until the cores"
                        + " are busy."));
        BenchmarkReport.write("code-sandbox.md", "Running model-written code in the sandbox", lines);
    }

    private static boolean isRoot() throws Exception {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    }

    private interface Start {
        void run() throws Exception;
    }

    private static double medianMillis(Start start) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            long begin = System.nanoTime();
            start.run();
            millis.add((System.nanoTime() - begin) / 1e6);
        }
        Collections.sort(millis);
        return millis.get(millis.size() / 2);
    }

    private static void start(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
