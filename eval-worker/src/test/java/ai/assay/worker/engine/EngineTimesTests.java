package ai.assay.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineTimesTests {

    @Test
    void sinceKeepsOnlyTheKindsThatRanInBetweenInTheEnginesOrder() {
        EngineTimes before = times(
                new EngineTimes.Total(3, 3_000_000_000L, 12, 400, 20),
                EngineTimes.Total.ZERO,
                new EngineTimes.Total(5, 500_000_000L, 30, 0, 0));
        EngineTimes after = times(
                new EngineTimes.Total(3, 3_000_000_000L, 12, 400, 20),
                new EngineTimes.Total(2, 250_000_000L, 8, 160, 24),
                new EngineTimes.Total(9, 2_500_000_000L, 50, 0, 0));

        EngineTimes between = after.since(before);

        assertThat(between.byKind())
                .containsExactly(
                        Map.entry(RunKind.PREFILL, new EngineTimes.Total(2, 250_000_000L, 8, 160, 24)),
                        Map.entry(RunKind.CACHE_COPY, new EngineTimes.Total(4, 2_000_000_000L, 20, 0, 0)));
        assertThat(between.of(RunKind.PREFILL).filledPositions()).isEqualTo(136);
        assertThat(between.of(RunKind.SCORING_PASS)).isEqualTo(EngineTimes.Total.ZERO);
        assertThat(between.totalSeconds()).isEqualTo(2.25);
        assertThat(between.summary())
                .isEqualTo("prefills 2 runs 0.25 s 160 positions (15.0% padding), cache copies 4 runs 2.00 s");
    }

    @Test
    void kindsAreListedInTheEnginesOrderWhateverOrderTheyCameIn() {
        Map<RunKind, EngineTimes.Total> byKind = new LinkedHashMap<>();
        byKind.put(RunKind.TOKEN_SCORES, new EngineTimes.Total(1, 1, 1, 0, 0));
        byKind.put(RunKind.SCORING_PASS, new EngineTimes.Total(1, 1, 1, 4, 0));

        assertThat(new EngineTimes(byKind).byKind().keySet())
                .containsExactly(RunKind.SCORING_PASS, RunKind.TOKEN_SCORES);
    }

    @Test
    void anEngineThatCountsNothingSaysSo() {
        assertThat(EngineTimes.NONE.since(EngineTimes.NONE).summary()).isEqualTo("no runs");
        EngineTimes once = times(
                new EngineTimes.Total(1, 1, 1, 1, 0),
                new EngineTimes.Total(1, 1, 1, 1, 0),
                new EngineTimes.Total(1, 1, 1, 0, 0));
        assertThat(once.since(once).byKind()).isEmpty();
    }

    @Test
    void twoEnginesTimesAddUpKindByKind() {
        EngineTimes first = times(
                new EngineTimes.Total(1, 100, 2, 8, 1), EngineTimes.Total.ZERO, new EngineTimes.Total(3, 30, 3, 0, 0));
        Map<RunKind, EngineTimes.Total> decodes = new EnumMap<>(RunKind.class);
        decodes.put(RunKind.DECODE_STEP, new EngineTimes.Total(4, 40, 16, 16, 0));
        decodes.put(RunKind.SCORING_PASS, new EngineTimes.Total(2, 200, 4, 10, 2));

        EngineTimes both = first.plus(new EngineTimes(decodes));

        assertThat(both.of(RunKind.SCORING_PASS)).isEqualTo(new EngineTimes.Total(3, 300, 6, 18, 3));
        assertThat(both.of(RunKind.DECODE_STEP)).isEqualTo(new EngineTimes.Total(4, 40, 16, 16, 0));
        assertThat(both.of(RunKind.CACHE_COPY)).isEqualTo(new EngineTimes.Total(3, 30, 3, 0, 0));
        assertThat(EngineTimes.NONE.plus(EngineTimes.NONE).byKind()).isEmpty();
    }

    private static EngineTimes times(
            EngineTimes.Total scoringPasses, EngineTimes.Total prefills, EngineTimes.Total cacheCopies) {
        Map<RunKind, EngineTimes.Total> byKind = new EnumMap<>(RunKind.class);
        byKind.put(RunKind.SCORING_PASS, scoringPasses);
        byKind.put(RunKind.PREFILL, prefills);
        byKind.put(RunKind.CACHE_COPY, cacheCopies);
        return new EngineTimes(byKind);
    }
}
