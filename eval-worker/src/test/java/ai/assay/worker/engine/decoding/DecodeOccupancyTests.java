package ai.assay.worker.engine.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.worker.engine.EngineTimes;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.RunKind;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import ai.assay.worker.engine.testmodels.TinyDecoder.Layout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine counts its decoding steps apart from its prefills, with the rows each step ran: rows over steps is
 * how full continuous batching kept the batch. Without an EOS token every row runs to its token budget, so the
 * counts follow from the budgets: a row generates its first token in the prefill and one more per step.
 */
class DecodeOccupancyTests {

    private static final int[][] PROMPTS = {{5, 17, 42}, {99, 3, 250, 7}, {44}, {200, 201}};

    @TempDir
    Path directory;

    @Test
    void aBatchThatHoldsEveryRowDecodesThemAllInEachStep() {
        EngineTimes work = generate(8, 5, 5, 5, 5);

        assertThat(work.of(RunKind.GENERATION_PASS).runs()).isEqualTo(1);
        assertThat(work.of(RunKind.DECODE_STEP).runs()).isEqualTo(4);
        assertThat(work.of(RunKind.DECODE_STEP).rows()).isEqualTo(16);
        assertThat(work.of(RunKind.DECODE_STEP).rowsPerRun()).isEqualTo(4.0);
    }

    @Test
    void oneRowAtATimeDecodesOneRowAStep() {
        EngineTimes work = generate(1, 5, 5, 5, 5);

        assertThat(work.of(RunKind.GENERATION_PASS).runs()).isEqualTo(4);
        assertThat(work.of(RunKind.DECODE_STEP).runs()).isEqualTo(16);
        assertThat(work.of(RunKind.DECODE_STEP).rowsPerRun()).isEqualTo(1.0);
    }

    @Test
    void aRowThatFinishesLeavesTheStepsThatFollow() {
        // Budgets 3 and 7: two steps with both rows, then four with the longer one alone.
        EngineTimes work = generate(2, 3, 7);

        assertThat(work.of(RunKind.DECODE_STEP).runs()).isEqualTo(6);
        assertThat(work.of(RunKind.DECODE_STEP).rows()).isEqualTo(8);
        assertThat(work.of(RunKind.DECODE_STEP).positions()).isEqualTo(8);
        assertThat(work.of(RunKind.DECODE_STEP).rowsPerRun()).isEqualTo(8 / 6.0);
    }

    @Test
    void aKindWithoutRunsHasNoRowsPerRun() {
        assertThat(generate(4, 1, 1).of(RunKind.DECODE_STEP).rowsPerRun()).isZero();
    }

    private EngineTimes generate(int maxBatchSize, int... budgets) {
        TinyDecoder model = TinyDecoder.small(Layout.OPTIMUM, TestEngines.VOCAB);
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < budgets.length; i++) {
            requests.add(new GenerationRequest("r" + i, PROMPTS[i], SamplingParams.greedy(budgets[i], List.of())));
        }
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(maxBatchSize), -1)) {
            EngineTimes before = lm.times();
            GenerationTests.run(lm, requests);
            return lm.times().since(before);
        }
    }
}
