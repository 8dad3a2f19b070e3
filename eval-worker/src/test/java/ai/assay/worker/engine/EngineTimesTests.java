package ai.assay.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineTimesTests {

    @Test
    void sinceKeepsOnlyTheKindsThatRanInBetweenInTheEnginesOrder() {
        EngineTimes before = times(new long[] {3, 0, 5}, new long[] {3_000_000_000L, 0, 500_000_000L});
        EngineTimes after = times(new long[] {3, 2, 9}, new long[] {3_000_000_000L, 250_000_000L, 2_500_000_000L});

        EngineTimes between = after.since(before);

        assertThat(between.byKind()).containsExactly(
                Map.entry("prefills", new EngineTimes.Total(2, 250_000_000L)),
                Map.entry("cache copies", new EngineTimes.Total(4, 2_000_000_000L)));
        assertThat(between.totalSeconds()).isEqualTo(2.25);
        assertThat(between.summary()).isEqualTo("prefills 2 runs 0.25 s, cache copies 4 runs 2.00 s");
    }

    @Test
    void anEngineThatCountsNothingSaysSo() {
        assertThat(EngineTimes.NONE.since(EngineTimes.NONE).summary()).isEqualTo("no runs");
        assertThat(times(new long[] {1, 1, 1}, new long[] {1, 1, 1}).since(times(new long[] {1, 1, 1},
                new long[] {1, 1, 1})).byKind()).isEmpty();
    }

    private static EngineTimes times(long[] runs, long[] nanos) {
        String[] kinds = {"scoring passes", "prefills", "cache copies"};
        Map<String, EngineTimes.Total> byKind = new LinkedHashMap<>();
        for (int i = 0; i < kinds.length; i++) {
            byKind.put(kinds[i], new EngineTimes.Total(runs[i], nanos[i]));
        }
        return new EngineTimes(byKind);
    }
}
