package ai.assay.worker.sandbox;

import ai.assay.core.task.CodeExecutionProperties;
import ai.assay.reference.lmeval.code.ProgramExecutionUnavailableException;
import ai.assay.reference.lmeval.code.ProgramExecutor;
import ai.assay.reference.lmeval.code.ProgramResult;
import ai.assay.reference.lmeval.code.ProgramResult.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each untrusted Python program in a fresh process of its own under Debian's bubblewrap ({@code bwrap}), the
 * sandbox behind Flatpak: a small, well-kept setuid-free tool packaged by Debian, so the worker image gets it with
 * {@code apt-get install bubblewrap}. nsjail was the alternative the issue named; it is not packaged by Debian and
 * would have to be built into the image. No namespace code of our own: bubblewrap sets them all up.
 *
 * <p>What each program gets: new user, pid, network, ipc, uts and cgroup namespaces (so no network at all, only a
 * loopback that is down, and no view of the worker's processes), uid and gid 65534 inside, a read-only {@code /usr}
 * (with {@code /bin}, {@code /lib}, {@code /lib64} as the host has them: symlinks into {@code /usr} on Debian) in a
 * read-only root and nothing else of the host's file system, a fresh {@code /proc} and minimal {@code /dev}, a private tmpfs
 * {@code /tmp} of {@code tmp-size} as its home and working directory, and an environment of five variables set
 * here. The worker's own environment never reaches it: the process starting bubblewrap gets an empty one (bubblewrap's
 * init inside the sandbox would otherwise expose it in {@code /proc/1/environ}) and bubblewrap clears the program's.
 * Inside, util-linux's {@code choom} gives the program's processes {@code oom_score_adj} 1000, so that when the
 * programs together exhaust the pod's memory the kernel kills one of them and not the worker, and its {@code prlimit}
 * sets the limits and then executes {@code python3 -I -B -}, which reads the program from its stdin: address space
 * ({@code RLIMIT_AS}), CPU seconds, file size, open files, no core dumps, and processes ({@code RLIMIT_NPROC}). The
 * address-space and CPU limits hold per process: one program may use up to {@code processes} times them, within its
 * wall limit.
 *
 * <p>Why the process limit is set inside: since Linux 5.14 the kernel counts {@code RLIMIT_NPROC} per user namespace
 * (ucounts): a limit set after bubblewrap created the program's user namespace counts that program's processes and
 * threads only, while one set outside would count every process of the worker's uid, the JVM's threads included, and
 * fail every program or none. Processes of root are exempt from it, so a worker running as root (tests, CI) starts
 * bubblewrap through util-linux's {@code setpriv} as {@code nobody}. The probe checks that the limit holds.
 *
 * <p>Ending: the wall limit is the caller's {@code timeout}; past it, the program's process tree is killed (each
 * descendant, then bubblewrap, whose init inside has {@code --die-with-parent}; killing the pid namespace's init kills
 * everything in it), and the result is {@link Outcome#TIMEOUT}. Stdout and stderr are read to their end on their own
 * threads and cut to {@code output-limit} each ({@link CappedOutput}).
 *
 * <p>How a result is classified: exit 0 is {@link Outcome#PASSED}; an exit status above 128 is bubblewrap reporting a
 * program killed by a signal (a limit's {@code SIGKILL} or {@code SIGXCPU}, a segfault), {@link Outcome#KILLED}; exit
 * 1 whose stderr's last traceback names {@code AssertionError} is {@link Outcome#FAILED_ASSERTION} (see
 * {@link #endsWithAssertionError}); any other status is {@link Outcome#ERROR}. A program that calls
 * {@code sys.exit(137)} or prints a fake traceback can only misreport how it failed, never pass.
 *
 * <p>Fails closed: nothing runs unless {@code enabled}, the tools exist where configured, and a probe program (run
 * once, then remembered) has shown inside the sandbox that it has no network interface but loopback, cannot write
 * to {@code /usr} or {@code /}, runs as 65534, sees no foreign environment and cannot exceed its process limit. Otherwise
 * {@link #run} throws {@link ProgramExecutionUnavailableException} saying why.
 */
public final class BubblewrapProgramExecutor implements ProgramExecutor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BubblewrapProgramExecutor.class);

    static final int SANDBOX_UID = 65534;

    /** The program's whole environment. */
    static final Map<String, String> SANDBOX_ENVIRONMENT = Map.of(
            "PATH", "/usr/bin:/bin",
            "HOME", "/tmp",
            "TMPDIR", "/tmp",
            "LANG", "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE", "1");

    private static final String PROBE_OK = "assay-sandbox-ok";
    private static final int PROBE_PROCESSES = 8;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(10);

    /** What the probe checks, from inside; it prints {@link #PROBE_OK} or the problems found. */
    private static final String PROBE = """
            import os, socket
            problems = []
            if os.getuid() != %d:
                problems.append("it runs as uid %%d" %% os.getuid())
            others = [name for _, name in socket.if_nameindex() if name != "lo"]
            if others:
                problems.append("it sees network interfaces " + ", ".join(others))
            for path in ("/usr/.assay-sandbox-probe", "/.assay-sandbox-probe"):
                try:
                    open(path, "w").close()
                    problems.append("it can write " + path)
                except OSError:
                    pass
            foreign = sorted(set(os.environ) - {%s})
            if foreign:
                problems.append("its environment has " + ", ".join(foreign))
            if open("/proc/self/oom_score_adj").read().strip() != "1000":
                problems.append("its oom_score_adj is not 1000")
            try:
                if open("/proc/1/environ", "rb").read():
                    problems.append("the sandbox's init has an environment")
            except OSError:
                problems.append("its pid 1 is not the sandbox's own init")
            r, w = os.pipe()
            children = []
            try:
                for _ in range(4 * %d):
                    pid = os.fork()
                    if pid == 0:
                        os.close(w)
                        os.read(r, 1)
                        os._exit(0)
                    children.append(pid)
                problems.append("the process limit is not enforced")
            except OSError:
                pass
            os.close(w)
            for pid in children:
                os.waitpid(pid, 0)
            if not children:
                problems.append("it cannot start a process")
            print("; ".join(problems) if problems else "%s")
            """.formatted(
                    SANDBOX_UID,
                    String.join(
                                    ", ",
                                    SANDBOX_ENVIRONMENT.keySet().stream()
                                            .map(k -> "\"" + k + "\"")
                                            .sorted()
                                            .toList())
                            + ", \"PWD\"",
                    PROBE_PROCESSES,
                    PROBE_OK);

    private final CodeExecutionProperties gate;
    private final SandboxProperties properties;
    private final ExecutorService programs;
    private final ExecutorService streams;
    private volatile boolean probed;

    /**
     * @param gate       whether this deployment runs model-written code at all
     * @param properties the sandbox's tools and limits
     */
    public BubblewrapProgramExecutor(CodeExecutionProperties gate, SandboxProperties properties) {
        this.gate = gate;
        this.properties = properties;
        this.programs = Executors.newFixedThreadPool(properties.parallelism(), daemonThreads("sandbox-program-"));
        this.streams = Executors.newCachedThreadPool(daemonThreads("sandbox-stream-"));
    }

    @Override
    public List<ProgramResult> run(List<String> sources, Duration timeout) {
        if (!gate.enabled()) {
            throw new ProgramExecutionUnavailableException("code execution is not enabled for this deployment: set"
                    + " assay.code-execution.enabled=true (env ASSAY_CODE_EXECUTION_ENABLED, the chart's"
                    + " codeExecution.enabled) on a worker whose host allows bubblewrap's sandbox; no program was run");
        }
        if (sources.isEmpty()) {
            return List.of();
        }
        ensureSandbox();
        List<Future<ProgramResult>> pending = new ArrayList<>(sources.size());
        for (String source : sources) {
            pending.add(programs.submit(() -> execute(source, timeout, properties.processes())));
        }
        List<ProgramResult> results = new ArrayList<>(sources.size());
        try {
            for (Future<ProgramResult> future : pending) {
                results.add(future.get());
            }
        } catch (InterruptedException e) {
            pending.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running programs; the running ones were killed", e);
        } catch (ExecutionException e) {
            pending.forEach(f -> f.cancel(true));
            throw new IllegalStateException(
                    "a program could not be run: " + e.getCause().getMessage(), e.getCause());
        }
        return results;
    }

    /** Checks the tools and, once, runs the probe; throws when the sandbox cannot be trusted. */
    private synchronized void ensureSandbox() {
        if (probed) {
            return;
        }
        checkExecutable(properties.bwrap(), "bubblewrap", false);
        checkExecutable(properties.prlimit(), "prlimit", true);
        checkExecutable(properties.choom(), "choom", true);
        checkExecutable(properties.python(), "python", true);
        if (runsAsRoot()) {
            checkExecutable(properties.setpriv(), "setpriv (needed because the worker runs as root)", false);
        }
        ProgramResult probe;
        try {
            probe = execute(PROBE, PROBE_TIMEOUT, PROBE_PROCESSES);
        } catch (IOException | RuntimeException e) {
            throw unavailable("starting it failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("the probe was interrupted", e);
        }
        if (probe.outcome() != Outcome.PASSED || !probe.stdout().strip().equals(PROBE_OK)) {
            String said = (probe.stdout().strip() + " " + probe.stderr().strip()).strip();
            throw unavailable(
                    "the probe inside it ended %s: %s"
                            .formatted(probe.outcome(), said.length() > 2000 ? said.substring(0, 2000) : said),
                    null);
        }
        log.info(
                "Code-execution sandbox ready: {} with {} (memory {}, cpu {}, processes {}, parallelism {})",
                properties.bwrap(),
                properties.python(),
                properties.memory(),
                properties.cpuTime(),
                properties.processes(),
                properties.parallelism());
        probed = true;
    }

    private void checkExecutable(Path path, String what, boolean insideSandbox) {
        if (!Files.isExecutable(path)) {
            throw unavailable("%s is not an executable at %s".formatted(what, path), null);
        }
        if (insideSandbox) {
            try {
                if (!path.toRealPath().startsWith("/usr/")) {
                    throw unavailable(
                            "%s at %s is not under /usr, the only tree the sandbox sees".formatted(what, path), null);
                }
            } catch (IOException e) {
                throw unavailable("%s at %s cannot be resolved: %s".formatted(what, path, e.getMessage()), e);
            }
        }
    }

    private ProgramExecutionUnavailableException unavailable(String why, Throwable cause) {
        return new ProgramExecutionUnavailableException(
                "the code-execution sandbox (bubblewrap at %s) cannot be set up: %s. No program was run; see"
                                .formatted(properties.bwrap(), why)
                        + " docs/operations.md, 'Running model-written code'",
                cause);
    }

    /** Runs one program to its end, its wall limit or its kill. */
    private ProgramResult execute(String source, Duration timeout, int processes)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command(processes)).directory(Path.of("/").toFile());
        builder.environment().clear();
        Process process = builder.start();
        int limit = (int) Math.min(Integer.MAX_VALUE, properties.outputLimit().toBytes());
        CappedOutput stdout = new CappedOutput(limit);
        CappedOutput stderr = new CappedOutput(limit);
        List<Future<?>> io = new ArrayList<>(3);
        try {
            io.add(streams.submit(() -> writeProgram(process.getOutputStream(), source)));
            io.add(streams.submit(() -> stdout.drain(process.getInputStream())));
            io.add(streams.submit(() -> stderr.drain(process.getErrorStream())));
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                killTree(process);
            }
            awaitStreams(io, process);
            boolean truncated = stdout.truncated() || stderr.truncated();
            if (!ended) {
                return new ProgramResult(Outcome.TIMEOUT, null, stdout.text(), stderr.text(), truncated);
            }
            int status = process.exitValue();
            Outcome outcome = classify(status, stderr.tail());
            return new ProgramResult(
                    outcome, outcome == Outcome.KILLED ? null : status, stdout.text(), stderr.text(), truncated);
        } finally {
            if (process.isAlive() || process.descendants().findAny().isPresent()) {
                killTree(process);
            }
        }
    }

    static Outcome classify(int status, String stderrTail) {
        if (status == 0) {
            return Outcome.PASSED;
        }
        if (status > 128 && status <= 128 + 64) {
            return Outcome.KILLED;
        }
        if (status == 1 && endsWithAssertionError(stderrTail)) {
            return Outcome.FAILED_ASSERTION;
        }
        return Outcome.ERROR;
    }

    /**
     * Whether the last traceback in {@code stderr} is an uncaught {@code AssertionError}: CPython prints
     * {@code Traceback (most recent call last):}, indented frame lines, then the exception's line at column 0
     * ({@code AssertionError} or {@code AssertionError: message}). Chained tracebacks end with the one that was
     * uncaught, so the last one counts; a message spanning lines does not matter since only its first line is read.
     */
    static boolean endsWithAssertionError(String stderr) {
        List<String> lines = stderr.lines().toList();
        int start = -1;
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).equals("Traceback (most recent call last):")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return false;
        }
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                return line.equals("AssertionError") || line.startsWith("AssertionError:");
            }
        }
        return false;
    }

    private List<String> command(int processes) {
        List<String> command = new ArrayList<>();
        if (runsAsRoot()) {
            command.addAll(List.of(
                    properties.setpriv().toString(),
                    "--reuid=" + SANDBOX_UID,
                    "--regid=" + SANDBOX_UID,
                    "--clear-groups",
                    "--inh-caps=-all",
                    "--"));
        }
        command.addAll(List.of(
                properties.bwrap().toString(),
                "--unshare-user",
                "--unshare-pid",
                "--unshare-net",
                "--unshare-ipc",
                "--unshare-uts",
                "--unshare-cgroup",
                "--uid",
                Integer.toString(SANDBOX_UID),
                "--gid",
                Integer.toString(SANDBOX_UID),
                "--hostname",
                "sandbox",
                "--die-with-parent",
                "--new-session",
                "--clearenv"));
        SANDBOX_ENVIRONMENT.forEach((name, value) -> command.addAll(List.of("--setenv", name, value)));
        command.addAll(List.of("--ro-bind", "/usr", "/usr"));
        for (String top : List.of("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")) {
            Path path = Path.of(top);
            if (Files.isSymbolicLink(path)) {
                try {
                    command.addAll(
                            List.of("--symlink", Files.readSymbolicLink(path).toString(), top));
                } catch (IOException e) {
                    throw unavailable("cannot read the link " + top + ": " + e.getMessage(), e);
                }
            } else if (Files.isDirectory(path)) {
                command.addAll(List.of("--ro-bind", top, top));
            }
        }
        command.addAll(List.of(
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--size",
                Long.toString(properties.tmpSize().toBytes()),
                "--tmpfs",
                "/tmp",
                "--remount-ro",
                "/",
                "--chdir",
                "/tmp",
                "--",
                properties.choom().toString(),
                "-n",
                "1000",
                "--",
                properties.prlimit().toString(),
                "--as=" + properties.memory().toBytes(),
                "--cpu=" + properties.cpuTime().toSeconds(),
                "--fsize=" + properties.fileSize().toBytes(),
                "--nproc=" + processes,
                "--nofile=256",
                "--core=0",
                "--",
                properties.python().toString(),
                "-I",
                "-B",
                "-"));
        return command;
    }

    private static boolean runsAsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void writeProgram(OutputStream stdin, String source) {
        try (stdin) {
            stdin.write(source.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the sandbox ended (or never started) before reading it all; its exit status says why
        }
    }

    /** Waits for the readers; if something inside still holds a pipe open past the grace, kills it all. */
    private static void awaitStreams(List<Future<?>> io, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_GRACE.toNanos();
        for (Future<?> future : io) {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                killTree(process);
                closeQuietly(process);
            } catch (ExecutionException | CancellationException e) {
                // a reader that failed has kept what it read
            }
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getInputStream().close();
            process.getErrorStream().close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        programs.shutdownNow();
        streams.shutdownNow();
    }
}
