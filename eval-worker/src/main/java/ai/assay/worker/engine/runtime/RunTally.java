package ai.assay.worker.engine.runtime;

import ai.assay.worker.engine.EngineTimes;
import ai.assay.worker.engine.RunKind;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/** A runner's running count of its ORT runs by kind; not thread-safe (a runner serves one thread). */
final class RunTally {

    /** What one run processed: see {@link EngineTimes.Total} for what rows and positions mean for each kind. */
    record Work(long rows, long positions, long padding) {

        static Work rows(long rows) {
            return new Work(rows, 0, 0);
        }

        /** A forward pass: its rows × new tokens, and how many of those positions the attention mask leaves out. */
        static Work of(DecoderBatch batch) {
            long filled = 0;
            int newFrom = batch.maskLength() - batch.length();
            long[] mask = batch.attentionMask();
            for (int b = 0; b < batch.batch(); b++) {
                for (int t = newFrom; t < batch.maskLength(); t++) {
                    filled += mask[b * batch.maskLength() + t];
                }
            }
            long positions = (long) batch.batch() * batch.length();
            return new Work(batch.batch(), positions, positions - filled);
        }
    }

    private final EngineTimes.Total[] totals = new EngineTimes.Total[RunKind.values().length];

    RunTally() {
        Arrays.fill(totals, EngineTimes.Total.ZERO);
    }

    void add(RunKind kind, long elapsedNanos, Work work) {
        totals[kind.ordinal()] = totals[kind.ordinal()].plus(
                new EngineTimes.Total(1, elapsedNanos, work.rows(), work.positions(), work.padding()));
    }

    EngineTimes snapshot() {
        Map<RunKind, EngineTimes.Total> byKind = new EnumMap<>(RunKind.class);
        for (RunKind kind : RunKind.values()) {
            byKind.put(kind, totals[kind.ordinal()]);
        }
        return new EngineTimes(byKind);
    }
}
