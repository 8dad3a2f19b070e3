package ai.assay.worker.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where an engine's time went since the model was loaded: its runs by kind (a scoring pass, a prefill, the cache
 * copies, ...), in the order the engine lists the kinds. Take one before and one after a piece of work and
 * {@link #since} gives that work's share.
 */
public record EngineTimes(Map<String, Total> byKind) {

    /** An engine that does not count its runs. */
    public static final EngineTimes NONE = new EngineTimes(Map.of());

    public EngineTimes {
        byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
    }

    /** Runs of one kind and the wall-clock time they took. */
    public record Total(long runs, long nanos) {

        public double seconds() {
            return nanos / 1e9;
        }
    }

    /** What happened after {@code earlier} (a snapshot of the same engine); kinds with no runs left out. */
    public EngineTimes since(EngineTimes earlier) {
        Map<String, Total> difference = new LinkedHashMap<>();
        byKind.forEach((kind, total) -> {
            Total before = earlier.byKind.getOrDefault(kind, new Total(0, 0));
            if (total.runs() > before.runs()) {
                difference.put(kind, new Total(total.runs() - before.runs(), total.nanos() - before.nanos()));
            }
        });
        return new EngineTimes(difference);
    }

    public double totalSeconds() {
        return byKind.values().stream().mapToLong(Total::nanos).sum() / 1e9;
    }

    /** One line for a log: {@code "scoring passes 141 runs 3.4 s, prefills 40 runs 1.1 s"}, or "no runs". */
    public String summary() {
        if (byKind.isEmpty()) {
            return "no runs";
        }
        return byKind.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %d runs %.2f s", e.getKey(), e.getValue().runs(),
                        e.getValue().seconds()))
                .collect(Collectors.joining(", "));
    }
}
