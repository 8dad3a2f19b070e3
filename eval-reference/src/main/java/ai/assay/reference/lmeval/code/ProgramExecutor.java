package ai.assay.reference.lmeval.code;

import java.time.Duration;
import java.util.List;

/**
 * Runs untrusted Python programs, each on its own, and says how each ended. The code tasks score through it and
 * never run a program themselves; the worker's implementation is its sandbox.
 *
 * <p>Implementations run the programs outside the calling JVM, may run them in parallel, and return one result per
 * program in the order given. A program that fails, hangs or crashes affects only its own result.
 */
@FunctionalInterface
public interface ProgramExecutor {

    /**
     * @param programs Python sources, each run as a script of its own
     * @param timeout  the wall-clock limit of each program
     * @throws ProgramExecutionUnavailableException when the programs cannot be run safely (no sandbox, code
     *     execution not enabled): then none of them runs
     */
    List<ProgramResult> run(List<String> programs, Duration timeout);
}
