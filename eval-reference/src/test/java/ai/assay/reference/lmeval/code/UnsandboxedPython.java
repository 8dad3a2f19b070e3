package ai.assay.reference.lmeval.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * TEST ONLY: runs each program with the machine's {@code python3} in a plain subprocess, with a wall-clock limit and
 * nothing else: no sandbox, no isolation, the test's own user, files and network. It exists so that the code tasks'
 * scoring can be tested with programs the tests themselves write (canonical solutions and deliberately wrong ones);
 * it must never run a model's code, and nothing outside the test sources may use it. The worker runs programs only
 * through its sandbox ({@code ai.assay.worker.sandbox}).
 *
 * <p>How a run ends: exit 0 is {@code PASSED}; another exit with {@code AssertionError} in its stderr
 * {@code FAILED_ASSERTION}, else {@code ERROR}; past the limit the process and its descendants are killed:
 * {@code TIMEOUT}; ended by a signal: {@code KILLED}.
 */
public final class UnsandboxedPython implements ProgramExecutor {

    private static final int KEPT = 64 * 1024;

    private final int parallel;

    public UnsandboxedPython(int parallel) {
        this.parallel = parallel;
    }

    /** Whether {@code python3} runs here (tests that need it skip without it). */
    public static boolean available() {
        try {
            Process process = new ProcessBuilder("python3", "-c", "pass")
                    .redirectErrorStream(true)
                    .start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public List<ProgramResult> run(List<String> programs, Duration timeout) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, programs.size())));
        try {
            List<CompletableFuture<ProgramResult>> runs = new ArrayList<>();
            for (String program : programs) {
                runs.add(CompletableFuture.supplyAsync(() -> runOne(program, timeout), pool));
            }
            return runs.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private static ProgramResult runOne(String program, Duration timeout) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("unsandboxed-python");
            Path script = Files.writeString(dir.resolve("program.py"), program);
            ProcessBuilder builder = new ProcessBuilder("python3", "-I", script.toString())
                    .directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("TMPDIR", dir.toString()); // the temporary files go with the directory
            Process process = builder.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
            }
            String stdout = text(out.join());
            String stderr = text(err.join());
            boolean truncated = stdout.length() >= KEPT || stderr.length() >= KEPT;
            if (!finished) {
                return new ProgramResult(ProgramResult.Outcome.TIMEOUT, null, stdout, stderr, truncated);
            }
            int exit = process.exitValue();
            ProgramResult.Outcome outcome = exit == 0
                    ? ProgramResult.Outcome.PASSED
                    : exit > 128
                            ? ProgramResult.Outcome.KILLED
                            : stderr.contains("AssertionError")
                                    ? ProgramResult.Outcome.FAILED_ASSERTION
                                    : ProgramResult.Outcome.ERROR;
            return new ProgramResult(outcome, exit, stdout, stderr, truncated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private static byte[] read(InputStream in) {
        try (in) {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int room = KEPT - kept.size();
                if (room > 0) {
                    kept.write(buffer, 0, Math.min(room, n));
                }
            }
            return kept.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
