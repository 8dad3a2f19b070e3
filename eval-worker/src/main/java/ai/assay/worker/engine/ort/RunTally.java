package ai.assay.worker.engine.ort;

import ai.assay.worker.engine.EngineTimes;
import ai.assay.worker.engine.RunKind;
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

    private final long[] runs = new long[RunKind.values().length];
    private final long[] nanos = new long[RunKind.values().length];
    private final long[] rows = new long[RunKind.values().length];
    private final long[] positions = new long[RunKind.values().length];
    private final long[] padding = new long[RunKind.values().length];

    void add(RunKind kind, long elapsedNanos, Work work) {
        int k = kind.ordinal();
        runs[k]++;
        nanos[k] += elapsedNanos;
        rows[k] += work.rows();
        positions[k] += work.positions();
        padding[k] += work.padding();
    }

    EngineTimes snapshot() {
        Map<RunKind, EngineTimes.Total> byKind = new EnumMap<>(RunKind.class);
        for (RunKind kind : RunKind.values()) {
            int k = kind.ordinal();
            byKind.put(kind, new EngineTimes.Total(runs[k], nanos[k], rows[k], positions[k], padding[k]));
        }
        return new EngineTimes(byKind);
    }
}
