package ai.assay.reference.lmeval.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.assay.reference.lmeval.Doc;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.TaskFile;
import ai.assay.reference.lmeval.TaskFileLoader;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * HumanEval and MBPP scored as lm-eval scores them, with programs run by the test-only {@link UnsandboxedPython}
 * (the tests write every program that runs: the fixture rows' own solutions and deliberately wrong ones).
 */
@RequiresSharedFixtures
class CodeScoringTests {

    private static final UnsandboxedPython PYTHON = new UnsandboxedPython(4);

    @BeforeAll
    static void python() {
        assumeTrue(UnsandboxedPython.available(), "python3 is needed to run the check programs");
    }

    @Test
    void everyFixtureHumanEvalCanonicalSolutionPassesAndAWrongOneFails() {
        LmEvalTask task = SharedFixtures.tree("humaneval").task("humaneval").orElseThrow();
        CodeScoring scoring = CodeScoring.of(task.config());
        assertThat(scoring.resultKeys()).containsExactly("pass@1,create_test");
        List<ObjectNode> rows = SharedFixtures.rows("openai/openai_humaneval", "default", "test");
        assertThat(rows).hasSize(20);
        for (ObjectNode row : rows) {
            Doc doc = Doc.of(row);
            Object gold = task.docToTarget(doc);
            var right = scoring.score(
                            doc.values(),
                            gold,
                            List.of(row.get("canonical_solution").stringValue()),
                            PYTHON)
                    .get(0);
            assertThat(right.values())
                    .as(row.get("task_id").stringValue())
                    .containsExactly(Map.entry("pass@1,create_test", 1.0));
            assertThat(right.runs().get(0).program())
                    .isEqualTo(row.get("prompt").stringValue()
                            + row.get("canonical_solution").stringValue() + "\n"
                            + row.get("test").stringValue() + "\ncheck("
                            + row.get("entry_point").stringValue() + ")");
            var wrong = scoring.score(doc.values(), gold, List.of("    return None\n"), PYTHON)
                    .get(0);
            assertThat(wrong.values())
                    .as(row.get("task_id").stringValue())
                    .containsExactly(Map.entry("pass@1,create_test", 0.0));
            assertThat(wrong.runs().get(0).result().outcome())
                    .isIn(ProgramResult.Outcome.FAILED_ASSERTION, ProgramResult.Outcome.ERROR);
        }
    }

    @Test
    void withRepeatsAHumanEvalDocumentIsScoredByTheUnbiasedEstimatorOverItsSamples() {
        LmEvalTask task = SharedFixtures.tree("humaneval").task("humaneval").orElseThrow();
        ObjectNode row = SharedFixtures.rows("openai/openai_humaneval", "default", "test")
                .get(0);
        Doc doc = Doc.of(row);
        String right = row.get("canonical_solution").stringValue();
        CodeScoring scoring = new CodeScoring(
                CodeScoring.of(task.config()).pipelines(),
                List.of(new CodeScoring.Metric("pass_at_k", List.of(1, 2, 8), true)));
        var scored = scoring.score(
                        doc.values(),
                        task.docToTarget(doc),
                        List.of(right, "    return None\n", right, "  syntax error"),
                        PYTHON)
                .get(0);
        assertThat(scored.runs()).extracting(CodeScoring.Run::passed).containsExactly(true, false, true, false);
        // n=4, c=2: k=8 is left out as code_eval leaves out every k past n
        assertThat(scored.values())
                .containsExactly(
                        Map.entry("pass@1,create_test", PassAtK.estimate(4, 2, 1)),
                        Map.entry("pass@2,create_test", PassAtK.estimate(4, 2, 2)));
        assertThat(scored.runs().get(3).result().outcome()).isEqualTo(ProgramResult.Outcome.ERROR);
    }

    @Test
    void everyFixtureMbppSolutionPassesItsTestsAndAWrongOneFails(@TempDir Path tasks) throws Exception {
        LmEvalTask task = mbpp(tasks).get("mbpp");
        CodeScoring scoring = CodeScoring.of(task.config());
        assertThat(scoring.resultKeys()).containsExactly("pass_at_1,none");
        for (ObjectNode row : SharedFixtures.rows("google-research-datasets/mbpp", "full", "test")) {
            Doc doc = Doc.of(row);
            Object gold = task.docToTarget(doc);
            var right = scoring.score(
                            doc.values(), gold, List.of(row.get("code").stringValue()), PYTHON)
                    .get(0);
            assertThat(right.values())
                    .as(row.get("task_id").toString())
                    .containsExactly(Map.entry("pass_at_1,none", 1.0));
            var wrong = scoring.score(doc.values(), gold, List.of("def nothing():\n    pass\n"), PYTHON)
                    .get(0);
            assertThat(wrong.values()).containsExactly(Map.entry("pass_at_1,none", 0.0));
        }
    }

    /**
     * The mbpp task files of the fixtures with a {@code utils.py} of the test's own whose
     * {@code list_fewshot_samples} returns made-up exemplars: the real ones belong to lm-eval and are read from
     * the downloaded file at run time.
     */
    static Map<String, LmEvalTask> mbpp(Path tasks) throws Exception {
        Path dir = Files.createDirectories(tasks.resolve("mbpp"));
        for (String file : List.of("mbpp.yaml", "mbpp_plus.yaml")) {
            Files.copy(SharedFixtures.tasks().resolve("mbpp").resolve(file), dir.resolve(file));
        }
        Files.writeString(dir.resolve("utils.py"), MADE_UP_UTILS);
        var loaded = TaskFileLoader.load(TaskFile.under(tasks));
        return Map.of(
                "mbpp", new LmEvalTask(loaded.tasks().get("mbpp")),
                "mbpp_plus", new LmEvalTask(loaded.tasks().get("mbpp_plus")));
    }

    static final String MADE_UP_UTILS = """
            import re


            def pass_at_1(references, predictions):
                raise NotImplementedError


            def list_fewshot_samples():
                return [
                    {
                        "task_id": 1,
                        "text": "Made-up task one.",
                        "code": "def one():\\r\\n  return 1",
                        "test_list": ["assert one() == 1", "assert one() != 2", 'assert one() > 0'],
                        "is_fewshot": True,
                    },
                    {
                        "task_id": 2,
                        "text": "Made-up task two.",
                        "code": "def two():\\r\\n  return 2",
                        "test_list": ["assert two() == 2", "assert two() != 1", "assert two() > 1"],
                        "is_fewshot": True,
                    },
                    {
                        "task_id": 3,
                        "text": "Made-up task three.",
                        "code": "def three():\\r\\n  return 3",
                        "test_list": ["assert three() == 3", "assert three() != 1", "assert three() > 2"],
                        "is_fewshot": True,
                    },
                ]
            """;

    @Test
    void mbppsFewshotSamplesAreTheListItsUtilsFunctionReturns(@TempDir Path tasks) throws Exception {
        LmEvalTask task = mbpp(tasks).get("mbpp");
        var samples = task.config().fewshotConfig().samples();
        assertThat(samples).hasSize(3);
        assertThat(samples.get(0))
                .containsEntry("code", "def one():\r\n  return 1")
                .containsEntry("is_fewshot", true)
                .containsEntry("test_list", List.of("assert one() == 1", "assert one() != 2", "assert one() > 0"));
        assertThat(task.config().fewshotFromSamples()).isTrue();
    }
}
