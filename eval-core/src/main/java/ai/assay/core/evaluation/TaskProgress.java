package ai.assay.core.evaluation;

import java.time.Duration;
import java.time.Instant;

/**
 * How far a task is.
 *
 * @param phase the current phase, or null before the task starts and after it ends
 * @param done  examples finished in the current phase
 * @param total examples the phase has in all, or null while unknown (e.g. before the dataset is loaded)
 * @param rate  examples per second since the phase started, or null while unknown
 * @param eta   the expected time the phase ends, or null while unknown
 */
public record TaskProgress(TaskPhase phase, int done, Integer total, Double rate, Instant eta) {

    /**
     * Derives the rate and ETA from what the phase has done since it started.
     */
    public static TaskProgress of(
            TaskPhase phase, int done, Integer total, Instant phaseStartedAt, int doneAtPhaseStart, Instant now) {
        Double rate = null;
        Instant eta = null;
        if (phase != null && phaseStartedAt != null) {
            double seconds = Duration.between(phaseStartedAt, now).toMillis() / 1000.0;
            int doneInPhase = done - doneAtPhaseStart;
            if (seconds > 0 && doneInPhase > 0) {
                rate = doneInPhase / seconds;
                if (total != null) {
                    eta = now.plusMillis(Math.round((total - done) / rate * 1000));
                }
            }
        }
        return new TaskProgress(phase, done, total, rate, eta);
    }
}
