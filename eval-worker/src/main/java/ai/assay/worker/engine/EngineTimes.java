package ai.assay.worker.engine;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where an engine's time went since the model was loaded: its runs by kind (a scoring pass, a prefill, the cache
 * copies, ...), in {@link RunKind}'s order. Take one before and one after a piece of work and {@link #since} gives
 * that work's share.
 */
public record EngineTimes(Map<RunKind, Total> byKind) {

    /** An engine that does not count its runs. */
    public static final EngineTimes NONE = new EngineTimes(Map.of());

    public EngineTimes {
        Map<RunKind, Total> copy = new EnumMap<>(RunKind.class);
        copy.putAll(byKind);
        byKind = Collections.unmodifiableMap(copy);
    }

    /**
     * Runs of one kind and what they did.
     *
     * @param runs      how many
     * @param nanos     their wall-clock time
     * @param rows      the batch rows they processed (for a cache copy, the rows it made; for token scores and
     *                  logits copies, the positions they read)
     * @param positions for forward passes, the token positions computed (rows × new tokens), padding included;
     *                  0 for other kinds
     * @param padding   of those positions, the ones that only pad a shorter row
     */
    public record Total(long runs, long nanos, long rows, long positions, long padding) {

        public static final Total ZERO = new Total(0, 0, 0, 0, 0);

        public double seconds() {
            return nanos / 1e9;
        }

        /** Rows a run, averaged: for {@link RunKind#DECODE_STEP}, how full the batch stayed; 0 without runs. */
        public double rowsPerRun() {
            return runs == 0 ? 0 : rows / (double) runs;
        }

        /** The positions that held a real token. */
        public long filledPositions() {
            return positions - padding;
        }

        public Total plus(Total other) {
            return new Total(
                    runs + other.runs,
                    nanos + other.nanos,
                    rows + other.rows,
                    positions + other.positions,
                    padding + other.padding);
        }

        Total minus(Total earlier) {
            return new Total(
                    runs - earlier.runs,
                    nanos - earlier.nanos,
                    rows - earlier.rows,
                    positions - earlier.positions,
                    padding - earlier.padding);
        }
    }

    /** These runs and {@code other}'s together: two engines' times as one (the replicas of a model). */
    public EngineTimes plus(EngineTimes other) {
        Map<RunKind, Total> sum = new EnumMap<>(RunKind.class);
        sum.putAll(byKind);
        other.byKind.forEach((kind, total) -> sum.merge(kind, total, Total::plus));
        return new EngineTimes(sum);
    }

    /** The runs of one kind; {@link Total#ZERO} where there were none. */
    public Total of(RunKind kind) {
        return byKind.getOrDefault(kind, Total.ZERO);
    }

    /** What happened after {@code earlier} (a snapshot of the same engine); kinds with no runs left out. */
    public EngineTimes since(EngineTimes earlier) {
        Map<RunKind, Total> difference = new EnumMap<>(RunKind.class);
        byKind.forEach((kind, total) -> {
            Total before = earlier.of(kind);
            if (total.runs() > before.runs()) {
                difference.put(kind, total.minus(before));
            }
        });
        return new EngineTimes(difference);
    }

    public double totalSeconds() {
        return byKind.values().stream().mapToLong(Total::nanos).sum() / 1e9;
    }

    /**
     * One line for a log, e.g. {@code "prefills 2 runs 0.25 s 160 positions (15.0% padding), cache copies 4 runs
     * 2.00 s"} (positions for forward passes only), or "no runs".
     */
    public String summary() {
        if (byKind.isEmpty()) {
            return "no runs";
        }
        return byKind.entrySet().stream()
                .map(e -> summary(e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String summary(RunKind kind, Total total) {
        String line = String.format(Locale.ROOT, "%s %d runs %.2f s", kind.label(), total.runs(), total.seconds());
        if (total.positions() == 0) {
            return line;
        }
        return line
                + String.format(
                        Locale.ROOT,
                        " %d positions (%.1f%% padding)",
                        total.positions(),
                        100.0 * total.padding() / total.positions());
    }
}
