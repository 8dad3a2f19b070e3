package ai.assay.reference.lmeval.code;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One program of Hugging Face evaluate's {@code code_eval}, as {@code compute} builds it and {@code
 * check_correctness} judges it: {@code prediction + "\n" + test_case}, which passes iff it runs to its end within
 * the time limit ({@code timeout=3.0}, which lm-eval never changes) without raising anything, {@code SystemExit}
 * included.
 *
 * <p>The program runs as a script of ours ({@code check-program.py}) that reproduces what upstream's child process
 * does to it where that changes the result: {@code exec(program, {})} in fresh globals (so {@code __name__} is not
 * {@code "__main__"} and a main block does not run), stdin, stdout and stderr swallowed (reading raises
 * {@code OSError}), a {@code SIGALRM} timer raising inside the program after the limit, the working directory a
 * fresh temporary one, and {@code reliability_guard}'s effect: {@code exit}, {@code quit}, {@code help}, the
 * {@code os}, {@code shutil} and {@code subprocess} functions it removes set to {@code None} (calling one raises
 * {@code TypeError}) and {@code resource}, {@code psutil}, {@code joblib}, {@code ipdb}, {@code tkinter} made
 * unimportable. Not reproduced: the memory limit (upstream sets none), and what a program sees of a parent process
 * that imported numpy and torch before forking. None of this protects anything: the {@link ProgramExecutor}'s
 * sandbox does.
 *
 * <p>The script writes a line {@code <marker> passed}, {@code <marker> timed out} or {@code <marker> failed: <e>}
 * first on its standard output once the program is done, then what the program printed (at most 64 KiB), and
 * exits 0 only when it passed. A program that ends the process itself ({@code os._exit(0)}) leaves no marker and
 * fails, as upstream reports such a child as timed out. The marker is random per program, so the program cannot
 * print it by chance.
 *
 * @param program the check program: the prediction, a newline and the test case
 * @param marker  the random token that opens the script's verdict line
 */
public record CheckProgram(String program, String marker) {

    /** code_eval's default {@code timeout}, which lm-eval's HumanEval and MBPP use. */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(3);

    /**
     * The wall-clock limit given to the executor: upstream joins its child for {@code timeout + 1} seconds; one
     * more second here pays for the interpreter's start in a fresh sandbox, which upstream's forked child does not
     * pay. The program itself is stopped at {@link #TIME_LIMIT} inside the script.
     */
    public static final Duration WALL_LIMIT = TIME_LIMIT.plusSeconds(2);

    private static final String TEMPLATE = template();

    public CheckProgram {
        Objects.requireNonNull(program, "program");
        if (!marker.matches("[0-9a-f]{16,64}")) {
            throw new IllegalArgumentException("a marker is lower-case hex, 16 to 64 digits");
        }
    }

    /** {@code code_eval.compute}'s {@code test_program = candidate + "\n" + test_case}, with a fresh marker. */
    public static CheckProgram of(String prediction, String testCase) {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return new CheckProgram(prediction + "\n" + testCase, HexFormat.of().formatHex(random));
    }

    /** The Python script the executor runs: {@code check-program.py} holding this program. */
    public String script() {
        Base64.Encoder base64 = Base64.getEncoder();
        return TEMPLATE.replace("@PROGRAM@", base64.encodeToString(program.getBytes(StandardCharsets.UTF_8)))
                .replace("@MARKER@", base64.encodeToString(marker.getBytes(StandardCharsets.US_ASCII)))
                .replace("@LIMIT@", Double.toString(TIME_LIMIT.toMillis() / 1000.0));
    }

    /**
     * code_eval's {@code result} string for how the script ended: {@code passed}, {@code timed out} or {@code
     * failed: <exception>} as the script reported it; {@code timed out} when it left no verdict (killed at the wall
     * limit, or ended by the program), as {@code check_correctness} reports a child that returned nothing.
     */
    public String verdict(ProgramResult result) {
        String stdout = result.stdout();
        String opening = marker + " ";
        if (stdout.startsWith(opening)) {
            int end = stdout.indexOf('\n');
            String verdict = stdout.substring(opening.length(), end < 0 ? stdout.length() : end);
            if (!verdict.equals("passed") || result.outcome() == ProgramResult.Outcome.PASSED) {
                return verdict;
            }
        }
        return "timed out";
    }

    /** What the program itself printed: the script's stdout after its verdict line. */
    public String printed(ProgramResult result) {
        String stdout = result.stdout();
        if (stdout.startsWith(marker + " ")) {
            int end = stdout.indexOf('\n');
            return end < 0 ? "" : stdout.substring(end + 1);
        }
        return stdout;
    }

    /** Whether the program passed: the script said so and exited 0. */
    public boolean passed(ProgramResult result) {
        return result.outcome() == ProgramResult.Outcome.PASSED
                && verdict(result).equals("passed");
    }

    private static String template() {
        try (InputStream in = CheckProgram.class.getResourceAsStream("check-program.py")) {
            if (in == null) {
                throw new IllegalStateException("check-program.py is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read check-program.py", e);
        }
    }
}
