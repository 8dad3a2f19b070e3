package ai.assay.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.assay.reference.lmeval.code.ProgramExecutionUnavailableException;
import ai.assay.reference.lmeval.code.ProgramResult;
import ai.assay.reference.lmeval.code.ProgramResult.Outcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real hostile programs through the real sandbox. Each test runs its hostile program next to an ordinary one in
 * the same call and shows the hostile action failed inside the sandbox, that only the hostile program's own result
 * changed, and that the test JVM is left with no child process. Skipped only where bubblewrap is not installed.
 */
class BubblewrapProgramExecutorTests {

    /** Generous: a hostile program ends by its own limit long before it. */
    private static final Duration WALL = Duration.ofSeconds(120);

    private static final String ORDINARY = """
            def add(a, b):
                return a + b
            assert add(2, 3) == 5
            print("ordinary ok")
            """;

    private static BubblewrapProgramExecutor executor;

    @BeforeAll
    static void sandbox() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap is not installed");
        executor = new BubblewrapProgramExecutor(
                new ai.assay.core.task.CodeExecutionProperties(true),
                SandboxProperties.defaults().withParallelism(2).withCpuTime(Duration.ofSeconds(3)));
    }

    @AfterAll
    static void close() {
        if (executor != null) {
            executor.close();
        }
    }

    /** Child processes other tests of this JVM may have left; this class must leave none of its own. */
    private Set<Long> before;

    @BeforeEach
    void childProcessesBefore() {
        before = descendants();
    }

    @AfterEach
    void noChildProcessIsLeft() {
        Set<Long> left = descendants();
        left.removeAll(before);
        assertThat(left).isEmpty();
    }

    private static Set<Long> descendants() {
        return ProcessHandle.current()
                .descendants()
                .map(ProcessHandle::pid)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Runs {@code hostile} and the ordinary program together; asserts the ordinary one passed. */
    private static ProgramResult runBesideAnOrdinaryProgram(String hostile, Duration wall) {
        List<ProgramResult> results = executor.run(List.of(ORDINARY, hostile, ORDINARY), wall);
        assertThat(results).hasSize(3);
        assertThat(results.get(0).outcome()).isEqualTo(Outcome.PASSED);
        assertThat(results.get(0).stdout()).isEqualTo("ordinary ok\n");
        assertThat(results.get(2)).isEqualTo(results.get(0));
        return results.get(1);
    }

    @Test
    void aConnectionToAListenerOnLoopbackNeverArrives() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();

            ProgramResult result = runBesideAnOrdinaryProgram("""
                    import socket
                    try:
                        socket.create_connection(("127.0.0.1", %d), timeout=5).sendall(b"leak")
                        print("connected")
                    except OSError as e:
                        print("no network:", type(e).__name__)
                    """.formatted(port), WALL);

            assertThat(result.outcome()).isEqualTo(Outcome.PASSED);
            assertThat(result.stdout()).startsWith("no network:").doesNotContain("connected");
            assertThat(listener.accept()).isNull();
        }
    }

    @Test
    void aProgramThatCatchesTheFailureOfItsHostileActionAndThenSucceedsPasses() {
        ProgramResult result = runBesideAnOrdinaryProgram("""
                import urllib.request
                try:
                    urllib.request.urlopen("http://example.com", timeout=5)
                except OSError:
                    pass
                assert sum(range(10)) == 45
                """, WALL);

        assertThat(result.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void aWriteOutsideTheTemporaryDirectoryFailsAndOneInsideIsPrivate(@TempDir Path outside) throws Exception {
        Path target = outside.resolve("written-by-the-program");
        ProgramResult result = runBesideAnOrdinaryProgram("""
                import os
                refused = []
                for path in ["%s", "/usr/planted", "/planted", "/etc/planted", "/proc/planted"]:
                    try:
                        with open(path, "w") as f:
                            f.write("x")
                        print("wrote", path)
                    except OSError:
                        refused.append(path)
                with open("/tmp/mine", "w") as f:
                    f.write("fine")
                print(len(refused), "refused")
                """.formatted(target), WALL);

        assertThat(result.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(result.stdout()).isEqualTo("5 refused\n");
        assertThat(target).doesNotExist();
        assertThat(Path.of("/usr/planted")).doesNotExist();

        ProgramResult next = executor.run(List.of("import os; print(os.path.exists('/tmp/mine'))"), WALL)
                .get(0);
        assertThat(next.stdout()).isEqualTo("False\n");
    }

    @Test
    void theWorkersEnvironmentAndFilesAreNotVisible(@TempDir Path outside) throws Exception {
        String secret = "judge-key-" + System.nanoTime();
        Path secretFile = Files.writeString(outside.resolve("judge-key"), secret);
        String workingDir = Path.of("").toAbsolutePath().toString();
        ProgramResult result = runBesideAnOrdinaryProgram("""
                import os
                names = set()
                for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
                    try:
                        for entry in open("/proc/%%s/environ" %% pid, "rb").read().split(b"\\0"):
                            if entry:
                                names.add(entry.split(b"=", 1)[0].decode())
                    except OSError:
                        pass
                print("names", " ".join(sorted(names)))
                for path in ["%s", "%s", "%s", "/var/run/secrets", "/etc/passwd"]:
                    try:
                        print(path, "listed", os.listdir(path))
                    except OSError:
                        try:
                            print(path, "read", open(path).read())
                        except OSError:
                            print(path, "absent")
                print("top", " ".join(sorted(os.listdir("/"))))
                """.formatted(secretFile, outside, workingDir), WALL);

        assertThat(result.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(result.stdout()).doesNotContain(secret);
        List<String> lines = result.stdout().lines().toList();
        Set<String> names = new TreeSet<>(
                List.of(lines.get(0).substring("names".length()).strip().split(" ")));
        Set<String> allowed = new TreeSet<>(BubblewrapProgramExecutor.SANDBOX_ENVIRONMENT.keySet());
        allowed.add("PWD");
        assertThat(allowed).containsAll(names);
        List<String> jvmOnly = new ArrayList<>(System.getenv().keySet());
        jvmOnly.removeAll(allowed);
        assertThat(names).doesNotContainAnyElementsOf(jvmOnly);
        assertThat(lines.subList(1, 6)).allSatisfy(line -> assertThat(line).endsWith(" absent"));
        assertThat(lines.get(6)).isEqualTo("top bin dev lib lib64 proc sbin tmp usr");
    }

    @Test
    void aForkBombIsContainedAndEndsAtTheWallLimit() {
        ProgramResult result = runBesideAnOrdinaryProgram("""
                import os
                while True:
                    try:
                        os.fork()
                    except OSError:
                        pass
                """, Duration.ofSeconds(5));

        assertThat(result.outcome()).isIn(Outcome.TIMEOUT, Outcome.KILLED);
        assertThat(result.exitCode()).isNull();
    }

    @Test
    void aProgramCannotStartMoreProcessesThanItsLimit() {
        ProgramResult result = runBesideAnOrdinaryProgram("""
                import os, time
                started = 0
                try:
                    for _ in range(10000):
                        if os.fork() == 0:
                            time.sleep(600)
                            os._exit(0)
                        started += 1
                except BlockingIOError:
                    pass
                print(started)
                """, WALL);

        assertThat(result.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(Integer.parseInt(result.stdout().strip())).isPositive().isLessThan(64);
    }

    @Test
    void aMemoryBombIsStoppedByTheMemoryLimit() {
        ProgramResult result = runBesideAnOrdinaryProgram("""
                hoard = []
                while True:
                    hoard.append(bytearray(64 * 1024 * 1024))
                """, WALL);

        assertThat(result.outcome()).isIn(Outcome.ERROR, Outcome.KILLED);
        if (result.outcome() == Outcome.ERROR) {
            assertThat(result.stderr()).contains("MemoryError");
        }
    }

    @Test
    void anInfiniteLoopIsKilledByTheCpuLimit() {
        ProgramResult result = runBesideAnOrdinaryProgram("while True:\n    pass\n", WALL);

        assertThat(result.outcome()).isEqualTo(Outcome.KILLED);
        assertThat(result.exitCode()).isNull();
    }

    @Test
    void hundredMegabytesOnStdoutAreCutToTheOutputLimit() {
        ProgramResult result = runBesideAnOrdinaryProgram("""
                import sys
                chunk = "y" * (1024 * 1024)
                for _ in range(100):
                    sys.stdout.write(chunk)
                sys.stdout.flush()
                """, WALL);

        assertThat(result.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(result.truncated()).isTrue();
        assertThat(result.stdout()).hasSize(64 * 1024).matches("y+");
    }

    @Test
    void aProgramThatKillsItsParentKillsOnlyItself() {
        ProgramResult result = runBesideAnOrdinaryProgram("""
                import os, signal
                os.kill(os.getppid(), signal.SIGKILL)
                os.killpg(0, signal.SIGKILL)
                """, WALL);

        assertThat(result.outcome()).isEqualTo(Outcome.KILLED);
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void aProgramThatSleepsPastTheWallLimitTimesOut() {
        ProgramResult result = runBesideAnOrdinaryProgram("""
                import time
                print("sleeping", flush=True)
                time.sleep(3600)
                """, Duration.ofSeconds(2));

        assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(result.exitCode()).isNull();
        assertThat(result.stdout()).isEqualTo("sleeping\n");
    }

    @Test
    void failedAssertionsErrorsAndExitStatusesAreTold() {
        List<ProgramResult> results = executor.run(
                List.of(
                        "assert 1 == 2, 'wrong'\n",
                        "def f():\n    raise ValueError('no')\nf()\n",
                        "try:\n    assert False\nexcept AssertionError:\n    raise KeyError('then')\n",
                        "import sys\nsys.exit(3)\n",
                        "def broken(:\n"),
                WALL);

        assertThat(results)
                .extracting(ProgramResult::outcome)
                .containsExactly(Outcome.FAILED_ASSERTION, Outcome.ERROR, Outcome.ERROR, Outcome.ERROR, Outcome.ERROR);
        assertThat(results.get(0).exitCode()).isEqualTo(1);
        assertThat(results.get(0).stderr()).contains("AssertionError: wrong");
        assertThat(results.get(3).exitCode()).isEqualTo(3);
        assertThat(results.get(4).stderr()).contains("SyntaxError");
    }

    @Test
    void allHostileProgramsTogetherLeaveTheNextProgramsRunning() throws Exception {
        List<String> hostile = List.of(
                "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
                "hoard = []\nwhile True:\n    hoard.append(bytearray(64 * 1024 * 1024))\n",
                "while True:\n    pass\n",
                "import sys\nfor _ in range(100):\n    sys.stdout.write('y' * (1024 * 1024))\n",
                "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.killpg(0, signal.SIGKILL)\n",
                "import time\ntime.sleep(3600)\n");
        List<String> batch = new ArrayList<>();
        for (String program : hostile) {
            batch.add(program);
            batch.add(ORDINARY);
        }

        List<ProgramResult> results = executor.run(batch, Duration.ofSeconds(10));

        assertThat(results.get(0).outcome()).isIn(Outcome.TIMEOUT, Outcome.KILLED);
        assertThat(results.get(2).outcome()).isIn(Outcome.ERROR, Outcome.KILLED);
        assertThat(results.get(4).outcome()).isEqualTo(Outcome.KILLED);
        assertThat(results.get(6).truncated()).isTrue();
        assertThat(results.get(8).outcome()).isEqualTo(Outcome.KILLED);
        assertThat(results.get(10).outcome()).isEqualTo(Outcome.TIMEOUT);
        for (int i = 1; i < results.size(); i += 2) {
            assertThat(results.get(i).outcome()).isEqualTo(Outcome.PASSED);
        }
        assertThat(ProcessHandle.current().descendants().filter(p -> !before.contains(p.pid())))
                .isEmpty();
        assertThat(executor.run(List.of(ORDINARY), WALL).get(0).passed()).isTrue();
    }

    @Test
    void itsProcessesAreTheOutOfMemoryKillersFirstChoice() {
        ProgramResult result =
                runBesideAnOrdinaryProgram("print(open('/proc/self/oom_score_adj').read().strip())\n", WALL);

        assertThat(result.stdout()).isEqualTo("1000\n");
    }

    @Test
    void aSandboxThatDoesNotProveItselfRunsNothing(@TempDir Path outside) throws Exception {
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxrwxrwx"));
        // runs what follows bubblewrap's options without any sandbox: the probe must notice
        Path fakeBwrap = Files.writeString(
                outside.resolve("bwrap"),
                "#!/bin/sh\nwhile [ \"$1\" != \"--\" ]; do shift; done\nshift\nexec \"$@\"\n");
        Files.setPosixFilePermissions(fakeBwrap, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path marker = outside.resolve("ran");
        try (BubblewrapProgramExecutor unsandboxed = new BubblewrapProgramExecutor(
                new ai.assay.core.task.CodeExecutionProperties(true),
                SandboxProperties.defaults().withBwrap(fakeBwrap))) {
            assertThatThrownBy(() -> unsandboxed.run(List.of("open('%s', 'w')".formatted(marker)), WALL))
                    .isInstanceOf(ProgramExecutionUnavailableException.class)
                    .hasMessageContaining("cannot be set up: the probe inside it ended")
                    .hasMessageContaining("No program was run");
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void aPythonOutsideTheSandboxsViewIsRefused(@TempDir Path outside) throws Exception {
        Path python = Files.writeString(outside.resolve("python3"), "#!/bin/sh\ntouch \"$0.ran\"\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (BubblewrapProgramExecutor elsewhere = new BubblewrapProgramExecutor(
                new ai.assay.core.task.CodeExecutionProperties(true),
                SandboxProperties.defaults().withPython(python))) {
            assertThatThrownBy(() -> elsewhere.run(List.of("pass"), WALL))
                    .isInstanceOf(ProgramExecutionUnavailableException.class)
                    .hasMessageContaining("is not under /usr, the only tree the sandbox sees");
        }
        assertThat(outside.resolve("python3.ran")).doesNotExist();
    }

    @Test
    void aDeploymentThatDidNotEnableCodeExecutionRefusesEveryProgram(@TempDir Path outside) {
        Path marker = outside.resolve("ran");
        try (BubblewrapProgramExecutor disabled = new BubblewrapProgramExecutor(
                ai.assay.core.task.CodeExecutionProperties.disabled(), SandboxProperties.defaults())) {
            assertThatThrownBy(() -> disabled.run(List.of("open('%s', 'w')".formatted(marker)), WALL))
                    .isInstanceOf(ProgramExecutionUnavailableException.class)
                    .hasMessageStartingWith("code execution is not enabled for this deployment: set"
                            + " assay.code-execution.enabled=true");
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void withoutBubblewrapNothingRuns(@TempDir Path outside) {
        Path marker = outside.resolve("ran");
        try (BubblewrapProgramExecutor missing = new BubblewrapProgramExecutor(
                new ai.assay.core.task.CodeExecutionProperties(true),
                SandboxProperties.defaults().withBwrap(outside.resolve("no-bwrap")))) {
            assertThatThrownBy(() -> missing.run(List.of("open('%s', 'w')".formatted(marker)), WALL))
                    .isInstanceOf(ProgramExecutionUnavailableException.class)
                    .hasMessageContaining("bubblewrap is not an executable at " + outside.resolve("no-bwrap"))
                    .hasMessageContaining("No program was run");
        }
        assertThat(marker).doesNotExist();
    }
}
