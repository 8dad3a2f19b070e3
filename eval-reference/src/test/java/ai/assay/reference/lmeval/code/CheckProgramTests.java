package ai.assay.reference.lmeval.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.assay.reference.lmeval.FunctionRef;
import ai.assay.reference.lmeval.filters.FilterPipeline;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A check program passes or fails as in code_eval's child process: the effects of {@code exec} in fresh globals,
 * swallowed streams and {@code reliability_guard} that change results, and the verdict the script reports. Run
 * by the test-only {@link UnsandboxedPython} with programs the tests write.
 */
class CheckProgramTests {

    private static final UnsandboxedPython PYTHON = new UnsandboxedPython(4);

    @BeforeAll
    static void python() {
        assumeTrue(UnsandboxedPython.available(), "python3 is needed to run the check programs");
    }

    private static CodeScoring.Filtered one(String program) {
        CodeScoring scoring = new CodeScoring(
                List.of(FilterPipeline.none()), List.of(new CodeScoring.Metric("pass_at_1", List.of(1), false)));
        return scoring.score(Map.of(), "", List.of(program), PYTHON).get(0);
    }

    @Test
    void aProgramThatRaisesSystemExitFailsEvenWithStatusZero() {
        assertThat(one("import sys\nsys.exit(0)").values()).containsValue(0.0);
    }

    @Test
    void aProgramThatEndsItsOwnProcessLeavesNoVerdictAndFails() {
        CodeScoring.Filtered scored = one("import os\nos._exit(0)");
        assertThat(scored.values()).containsValue(0.0);
        assertThat(scored.runs().get(0).verdict()).isEqualTo("timed out");
    }

    @Test
    void aMainBlockDoesNotRunBecauseTheProgramIsExecutedInFreshGlobals() {
        assertThat(one("if __name__ == '__main__':\n    raise ValueError('ran')")
                        .values())
                .containsValue(1.0);
    }

    @Test
    void theFunctionsReliabilityGuardRemovesFailWhenCalled() {
        for (String program : List.of(
                "import os\nos.getcwd()",
                "import shutil\nshutil.rmtree('x')",
                "import subprocess\nsubprocess.Popen(['true'])",
                "exit()",
                "import resource",
                "input()")) {
            CodeScoring.Filtered scored = one(program);
            assertThat(scored.values()).as(program).containsValue(0.0);
            assertThat(scored.runs().get(0).verdict()).as(program).startsWith("failed: ");
        }
    }

    @Test
    void whatAProgramPrintsIsKeptAfterTheVerdictAndAFailureCarriesItsTraceback() {
        CodeScoring.Filtered scored = one("print('hello')\nassert 1 == 2, 'nope'");
        CodeScoring.Run run = scored.runs().get(0);
        assertThat(run.verdict()).isEqualTo("failed: nope");
        assertThat(run.printed()).isEqualTo("hello\n");
        assertThat(run.result().stderr()).contains("AssertionError: nope");
        assertThat(run.result().outcome()).isEqualTo(ProgramResult.Outcome.FAILED_ASSERTION);
    }

    @Test
    void aSamplesFunctionThatReturnsNoLiteralIsRefusedNamingIt() {
        assertThatThrownBy(() -> ai.assay.reference.lmeval.TaskFunctions.literalSamples(
                        "def list_fewshot_samples():\n    return build()\n",
                        new FunctionRef("utils.list_fewshot_samples"),
                        "utils.py"))
                .hasMessageContaining("list_fewshot_samples");
    }

    @Test
    void mbppsExtractionTakesTheFirstFencedBlockAfterTheOpeningTheGenPrefixGave() {
        assertThat(CodeFilters.MbppPredictions.extractCodeBlocks("\ndef f():\n    return 1\n```\nmore"))
                .isEqualTo("def f():\n    return 1");
        assertThat(CodeFilters.MbppPredictions.extractCodeBlocks("no code at all"))
                .isEmpty();
    }
}
