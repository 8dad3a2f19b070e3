package ai.assay.worker.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.LmEvalOptions;
import ai.assay.core.lmeval.LmEvalResults;
import ai.assay.core.lmeval.taskfiles.LmEvalTaskFiles;
import ai.assay.core.lmeval.taskfiles.LmEvalTaskFilesProperties;
import ai.assay.core.lmeval.testing.LmEvalFixtures;
import ai.assay.core.task.CodeExecutionProperties;
import ai.assay.reference.lmeval.SampleRecords;
import ai.assay.reference.lmeval.code.ProgramExecutionUnavailableException;
import ai.assay.reference.lmeval.code.ProgramExecutor;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import ai.assay.worker.sandbox.BubblewrapProgramExecutor;
import ai.assay.worker.sandbox.SandboxProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The code tasks run through the runner as lm-eval runs them, their programs run in the worker's bubblewrap sandbox
 * ({@link BubblewrapProgramExecutor}, as a deployment with code execution enabled runs them; the programs are the
 * fixture rows' own solutions and deliberately wrong ones): HumanEval's prompts are the rows'
 * prompts, MBPP's carry three shots, the canonical solutions score pass@1 = 1.0 and wrong ones 0.0, from a model
 * and from responses made elsewhere, and without code execution or a sandbox the task fails before anything runs.
 * The task files are lm-eval's own (the shared fixtures); MBPP's {@code utils.py}, whose exemplars belong to
 * lm-eval and are never committed, is replaced by one of the test's own with made-up exemplars.
 */
@RequiresSharedFixtures
class CodeTasksTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private LmEvalCatalog catalog;
    private DatasetResolver datasets;
    private List<ObjectNode> humaneval;
    private List<ObjectNode> mbpp;

    /** The worker's own sandbox, as a deployment with code execution enabled runs every program. */
    private static BubblewrapProgramExecutor sandbox;

    @BeforeAll
    static void sandbox() {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/bwrap")),
                "bubblewrap is not installed: the code tasks run their programs in its sandbox");
        sandbox = new BubblewrapProgramExecutor(
                new ai.assay.core.task.CodeExecutionProperties(true), SandboxProperties.defaults());
    }

    @AfterAll
    static void closeSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void catalog() throws Exception {
        // the fixtures' task tree as the tasks-dir, with the test's own mbpp/utils.py beside lm-eval's YAML
        Path tasks = temp.resolve("tasks");
        try (var files = Files.walk(SharedFixtures.tasks())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path to = tasks.resolve(SharedFixtures.tasks().relativize(file).toString());
                Files.createDirectories(to.getParent());
                Files.copy(file, to);
            }
        }
        Files.writeString(tasks.resolve("mbpp/utils.py"), MADE_UP_MBPP_UTILS);
        catalog = new LmEvalCatalog(
                new LmEvalTaskFiles(LmEvalTaskFilesProperties.of(tasks, true), temp.resolve("task-cache")));
        Path rows = temp.resolve("rows");
        copyRows(rows, "openai/openai_humaneval/default");
        copyRows(rows, "google-research-datasets/mbpp/full");
        datasets = LmEvalFixtures.offlineDatasets(rows, temp.resolve("datasets-cache"));
        humaneval = SharedFixtures.rows("openai/openai_humaneval", "default", "test");
        mbpp = SharedFixtures.rows("google-research-datasets/mbpp", "full", "test");
    }

    private static void copyRows(Path rows, String dataset) throws Exception {
        Path to = Files.createDirectories(rows.resolve(dataset));
        try (var files = Files.list(SharedFixtures.root().resolve(dataset))) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    /** Three made-up exemplars in the shape of MBPP's list_fewshot_samples (the real ones are lm-eval's). */
    static final String MADE_UP_MBPP_UTILS = """
            def list_fewshot_samples():
                return [
                    {"task_id": 1, "text": "Made-up task one.", "code": "def one():\\r\\n  return 1",
                     "test_list": ["assert one() == 1", "assert one() != 2", "assert one() > 0"], "is_fewshot": True},
                    {"task_id": 2, "text": "Made-up task two.", "code": "def two():\\r\\n  return 2",
                     "test_list": ["assert two() == 2", "assert two() != 1", "assert two() > 1"], "is_fewshot": True},
                    {"task_id": 3, "text": "Made-up task three.", "code": "def three():\\r\\n  return 3",
                     "test_list": ["assert three() == 3", "assert three() != 1", "assert three() > 2"],
                     "is_fewshot": True},
                ]
            """;

    private static ObjectProvider<ProgramExecutor> python(ProgramExecutor executor) {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        if (executor != null) {
            beans.registerSingleton("programExecutor", executor);
        }
        return beans.getBeanProvider(ProgramExecutor.class);
    }

    private LmEvalTaskRunner runner(String task, DatasetResolver rows) {
        return new LmEvalTaskRunner(
                task, catalog, rows, null, MAPPER, new CodeExecutionProperties(true), python(sandbox));
    }

    private static Map<String, Double> metrics(InMemoryTaskContext context) {
        return context.store.metrics.stream()
                .collect(Collectors.toMap(m -> m.metric() + "," + m.filter(), MetricValue::value));
    }

    private static String outputs(List<String> responses) {
        ArrayNode records = MAPPER.createArrayNode();
        for (int i = 0; i < responses.size(); i++) {
            records.addObject().put("doc_id", i).put("response", responses.get(i));
        }
        return records.toString();
    }

    private static List<String> column(List<ObjectNode> rows, Function<ObjectNode, String> value) {
        return rows.stream().map(value).toList();
    }

    @Test
    void theTwentyHumanEvalCanonicalSolutionsGivenAsOutputsScorePassAtOneOfOne() {
        var context = new InMemoryTaskContext(
                "humaneval",
                "{\"outputs\": "
                        + outputs(column(
                                humaneval, r -> r.get("canonical_solution").stringValue())) + "}",
                null,
                new InMemoryTaskContext.Store());

        runner("humaneval", datasets).run(context);

        assertThat(metrics(context)).containsExactly(Map.entry("pass@1,create_test", 1.0));
        assertThat(context.store.samples).hasSize(20);
        JsonNode record = context.store.samples.get(3).record();
        ObjectNode row = humaneval.get(3);
        assertThat(record.get("filtered_resps").get("create_test").get(0).stringValue())
                .isEqualTo(row.get("prompt").stringValue()
                        + row.get("canonical_solution").stringValue());
        JsonNode program = record.get("programs").get("create_test").get(0);
        assertThat(program.get("outcome").stringValue()).isEqualTo("PASSED");
        assertThat(program.get("exit_code").intValue()).isZero();
        assertThat(program.get("result").stringValue()).isEqualTo("passed");
        assertThat(program.get("program").stringValue())
                .endsWith("\ncheck(" + row.get("entry_point").stringValue() + ")");
    }

    /**
     * Hostile completions, past the check script's guards (through {@code posix}, which the guard leaves alone):
     * each fails its own document only, and the next run on the same sandbox scores as before.
     */
    @Test
    void hostileCompletionsFailTheirOwnDocumentsAndTheNextRunScoresAsBefore() {
        List<String> hostile = List.of(
                "    import posix\n    while True:\n        posix.fork()\n", // a fork bomb
                "    x = bytearray(8 * 1024 ** 3)\n    return x\n", // a memory bomb
                "    while True:\n        pass\n", // an endless loop
                "    import posix\n    posix.kill(posix.getppid(), 9)\n", // kills its parent
                "    import sys\n    sys.__stdout__.write('x' * 100_000_000)\n"); // 100 MB of output
        var attack = new InMemoryTaskContext(
                "humaneval",
                "{\"limit\": 5, \"outputs\": " + outputs(hostile) + "}",
                null,
                new InMemoryTaskContext.Store());

        runner("humaneval", datasets).run(attack);

        assertThat(metrics(attack)).containsExactly(Map.entry("pass@1,create_test", 0.0));
        assertThat(attack.store.samples).hasSize(5);
        assertThat(attack.store.samples.values())
                .allSatisfy(sample -> assertThat(sample.record()
                                .get("programs")
                                .get("create_test")
                                .get(0)
                                .get("passed")
                                .booleanValue())
                        .isFalse());
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
                .as("no program outlives its run")
                .isEmpty();

        var next = new InMemoryTaskContext(
                "humaneval",
                "{\"limit\": 5, \"outputs\": "
                        + outputs(column(
                                        humaneval,
                                        r -> r.get("canonical_solution").stringValue())
                                .subList(0, 5))
                        + "}",
                null,
                new InMemoryTaskContext.Store());
        runner("humaneval", datasets).run(next);

        assertThat(metrics(next)).containsExactly(Map.entry("pass@1,create_test", 1.0));
    }

    /** {@code 1 - C(n - c, k) / C(n, k)}, the unbiased pass@k of one problem, as a closed form. */
    private static double passAtK(int n, int c, int k) {
        double fail = 1;
        for (int i = 0; i < k; i++) {
            fail *= (double) (n - c - i) / (n - i);
        }
        return n - c < k ? 1.0 : 1 - fail;
    }

    @Test
    void humanEval64ReportsPassAtKOverItsSixtyFourSamplesPerProblem() {
        ArrayNode records = MAPPER.createArrayNode();
        for (int doc = 0; doc < 2; doc++) {
            ArrayNode responses = records.addObject().put("doc_id", doc).putArray("responses");
            for (int i = 0; i < 64; i++) {
                // document 0: half of the samples right; document 1: one in sixteen
                boolean right = doc == 0 ? i % 2 == 0 : i % 16 == 0;
                responses.add(
                        right ? humaneval.get(doc).get("canonical_solution").stringValue() : "    return None\n");
            }
        }
        var context = new InMemoryTaskContext(
                "humaneval_64", "{\"limit\": 2, \"outputs\": " + records + "}", null, new InMemoryTaskContext.Store());

        runner("humaneval_64", datasets).run(context);

        Map<String, Double> metrics = metrics(context);
        assertThat(metrics.keySet())
                .containsExactlyInAnyOrder(
                        "pass@2,create_test",
                        "pass@8,create_test",
                        "pass@16,create_test",
                        "pass@32,create_test",
                        "pass@64,create_test");
        for (int k : List.of(2, 8, 16, 32, 64)) {
            assertThat(metrics.get("pass@" + k + ",create_test"))
                    .as("pass@" + k)
                    .isCloseTo((passAtK(64, 32, k) + passAtK(64, 4, k)) / 2, within(1e-12));
        }
        assertThat(context.store.samples.get(0).record().get("programs").get("create_test"))
                .hasSize(64);
    }

    @Test
    void wrongHumanEvalSolutionsFailAndEachDocumentKeepsHowItsProgramEnded() {
        List<String> responses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            responses.add(
                    i % 2 == 0 ? humaneval.get(i).get("canonical_solution").stringValue() : "    return None\n");
        }
        var context = new InMemoryTaskContext(
                "humaneval",
                "{\"limit\": 4, \"outputs\": " + outputs(responses) + "}",
                null,
                new InMemoryTaskContext.Store());

        runner("humaneval", datasets).run(context);

        assertThat(metrics(context)).containsExactly(Map.entry("pass@1,create_test", 0.5));
        JsonNode failed = context.store
                .samples
                .get(1)
                .record()
                .get("programs")
                .get("create_test")
                .get(0);
        assertThat(failed.get("passed").booleanValue()).isFalse();
        assertThat(failed.get("outcome").stringValue()).isIn("FAILED_ASSERTION", "ERROR");
        assertThat(failed.get("result").stringValue()).startsWith("failed");
        assertThat(context.store
                        .samples
                        .get(1)
                        .scores()
                        .get("pass@1,create_test")
                        .doubleValue())
                .isZero();
    }

    @Test
    void humanEvalPromptsAreTheRowsPromptsAndTheModelsCompletionsOfCanonicalSolutionsPass() {
        ScriptedModel model = new ScriptedModel(false, 4096);
        model.answers = prompt -> {
            for (ObjectNode row : humaneval.subList(0, 4)) {
                if (prompt.contains("def " + row.get("entry_point").stringValue() + "(")) {
                    return row.get("canonical_solution").stringValue();
                }
            }
            return "    return None\n"; // the fifth document: wrong
        };
        var context = new InMemoryTaskContext("humaneval", "{\"limit\": 5}", model, new InMemoryTaskContext.Store());

        runner("humaneval", datasets).run(context);

        assertThat(model.generations).hasSize(5).allSatisfy(request -> {
            assertThat(request.sampling().stop()).containsExactly("\nclass", "\ndef", "\n#", "\nif", "\nprint");
            assertThat(request.sampling().maxNewTokens()).isEqualTo(1024);
        });
        for (int doc = 0; doc < 5; doc++) {
            // humaneval.yaml's doc_to_text is the row's prompt, 0-shot, no description
            assertThat(context.store.samples.get(doc).record().get("context").stringValue())
                    .isEqualTo(humaneval.get(doc).get("prompt").stringValue());
        }
        assertThat(metrics(context)).containsExactly(Map.entry("pass@1,create_test", 0.8));
        assertThat(context.store
                        .samples
                        .get(4)
                        .scores()
                        .get("pass@1,create_test")
                        .doubleValue())
                .isZero();
    }

    @Test
    void mbppThroughAModelStopsAtDoneAndScoresTheCodeItWrote() {
        ScriptedModel model = new ScriptedModel(false, 4096);
        model.answers = prompt -> {
            for (ObjectNode row : mbpp.subList(0, 2)) {
                if (prompt.contains(row.get("text").stringValue())) {
                    return row.get("code").stringValue() + "\n[DONE]\n\nYou are an expert Python programmer";
                }
            }
            return "def nothing():\n    pass\n[DONE]"; // the third document: wrong
        };
        var context = new InMemoryTaskContext(
                "mbpp", "{\"numFewshot\": 3, \"limit\": 3}", model, new InMemoryTaskContext.Store());

        runner("mbpp", datasets).run(context);

        assertThat(model.generations)
                .hasSize(3)
                .allSatisfy(request -> assertThat(request.sampling().stop()).containsExactly("[DONE]"));
        assertThat(context.store.samples.get(0).record().get("resps").get(0).stringValue())
                .isEqualTo(mbpp.get(0).get("code").stringValue() + "\n");
        assertThat(metrics(context)).containsEntry("pass_at_1,none", 2.0 / 3.0);
    }

    @Test
    void mbppRendersThreeShotsFromItsUtilsAndItsFixtureSolutionsPassWhileWrongOnesFail() {
        var right = new InMemoryTaskContext(
                "mbpp",
                "{\"numFewshot\": 3, \"outputs\": "
                        + outputs(column(mbpp, r -> r.get("code").stringValue())) + "}",
                null,
                new InMemoryTaskContext.Store());
        var wrong = new InMemoryTaskContext(
                "mbpp",
                "{\"limit\": 3, \"outputs\": " + outputs(List.of("def nothing():\n    pass", "", "x = (")) + "}",
                null,
                new InMemoryTaskContext.Store());

        runner("mbpp", datasets).run(right);
        runner("mbpp", datasets).run(wrong);

        assertThat(metrics(right)).containsExactly(Map.entry("pass_at_1,none", 1.0));
        assertThat(metrics(wrong)).containsExactly(Map.entry("pass_at_1,none", 0.0));
        ObjectNode row = mbpp.get(0);
        List<String> tests = new ArrayList<>();
        row.get("test_list").forEach(t -> tests.add(t.stringValue()));
        JsonNode record = right.store.samples.get(0).record();
        // mbpp.yaml: each shot is doc_to_text + "" + code + "\n[DONE]", shots joined by "\n\n", then the document
        String expected = shot("Made-up task one.", "assert one() == 1", "assert one() != 2", "assert one() > 0")
                + "def one():\r\n  return 1\n[DONE]\n\n"
                + shot("Made-up task two.", "assert two() == 2", "assert two() != 1", "assert two() > 1")
                + "def two():\r\n  return 2\n[DONE]\n\n"
                + shot("Made-up task three.", "assert three() == 3", "assert three() != 1", "assert three() > 2")
                + "def three():\r\n  return 3\n[DONE]\n\n"
                + shot(row.get("text").stringValue(), tests.get(0), tests.get(1), tests.get(2));
        assertThat(record.get("context").stringValue()).isEqualTo(expected);
        assertThat(record.get("target").stringValue()).isEqualTo(String.join("\n", tests));
        assertThat(record.get("programs").get("none").get(0).get("program").stringValue())
                .isEqualTo(row.get("code").stringValue() + "\n" + String.join("\n", tests));
    }

    /** mbpp.yaml's doc_to_text for a document with these columns. */
    private static String shot(String text, String first, String second, String third) {
        return "You are an expert Python programmer, and here is your task: " + text
                + " Your code should pass these tests:\n\n" + first + "\n" + second + "\n" + third + "\n[BEGIN]\n";
    }

    @Test
    void theEvalPlusVariantsScoreMadeUpRowsInTheirColumnsTheSameWay() throws Exception {
        Path rows = temp.resolve("made-up-rows");
        Path humanevalPlus = Files.createDirectories(rows.resolve("evalplus/humanevalplus/default"));
        Files.writeString(
                humanevalPlus.resolve("test.jsonl"),
                MAPPER.writeValueAsString(
                                Map.of(
                                        "task_id", "HumanEval/0",
                                        "prompt", "def double(x):\n    \"\"\"Twice x.\"\"\"\n",
                                        "canonical_solution", "    return 2 * x\n",
                                        "entry_point", "double",
                                        "test",
                                                "def check(candidate):\n    assert candidate(2) == 4\n    assert candidate(0) == 0\n"))
                        + "\n");
        Path mbppPlus = Files.createDirectories(rows.resolve("evalplus/mbppplus/default"));
        Map<String, Object> mbppRow = new java.util.LinkedHashMap<>();
        mbppRow.put("task_id", 2);
        mbppRow.put("code", "def triple(x):\n    return 3 * x");
        mbppRow.put("prompt", "Write a function that triples a number.");
        mbppRow.put("source_file", "made-up.py");
        mbppRow.put("test_imports", List.of());
        mbppRow.put("test_list", List.of("assert triple(1) == 3", "assert triple(0) == 0", "assert triple(2) == 6"));
        mbppRow.put("test", "assert triple(5) == 15");
        Files.writeString(mbppPlus.resolve("test.jsonl"), MAPPER.writeValueAsString(mbppRow) + "\n");
        DatasetResolver madeUp = LmEvalFixtures.offlineDatasets(rows, temp.resolve("made-up-cache"));

        var humanevalRight = new InMemoryTaskContext(
                "humaneval_plus",
                "{\"outputs\": " + outputs(List.of("    return 2 * x\n")) + "}",
                null,
                new InMemoryTaskContext.Store());
        var humanevalWrong = new InMemoryTaskContext(
                "humaneval_plus",
                "{\"outputs\": " + outputs(List.of("    return x + 2\n")) + "}",
                null,
                new InMemoryTaskContext.Store());
        var mbppRight = new InMemoryTaskContext(
                "mbpp_plus",
                "{\"outputs\": " + outputs(List.of("def triple(x):\n    return x * 3")) + "}",
                null,
                new InMemoryTaskContext.Store());
        var mbppWrong = new InMemoryTaskContext(
                "mbpp_plus",
                "{\"outputs\": " + outputs(List.of("def triple(x):\n    return x")) + "}",
                null,
                new InMemoryTaskContext.Store());
        runner("humaneval_plus", madeUp).run(humanevalRight);
        runner("humaneval_plus", madeUp).run(humanevalWrong);
        runner("mbpp_plus", madeUp).run(mbppRight);
        runner("mbpp_plus", madeUp).run(mbppWrong);

        assertThat(metrics(humanevalRight)).containsExactly(Map.entry("pass@1,create_test", 1.0));
        assertThat(metrics(humanevalWrong)).containsExactly(Map.entry("pass@1,create_test", 0.0));
        assertThat(metrics(mbppRight)).containsExactly(Map.entry("pass_at_1,none", 1.0));
        assertThat(metrics(mbppWrong)).containsExactly(Map.entry("pass_at_1,none", 0.0));
        // mbpp_plus's doc_to_text takes the row's prompt where it has one
        assertThat(mbppRight.store.samples.get(0).record().get("context").stringValue())
                .endsWith(shot(
                        "Write a function that triples a number.",
                        "assert triple(1) == 3",
                        "assert triple(0) == 0",
                        "assert triple(2) == 6"));
    }

    @Test
    void aCodeTaskFailsBeforeAnythingRunsWithoutCodeExecutionOrWithoutASandbox() {
        String options = "{\"limit\": 1, \"outputs\": [{\"doc_id\": 0, \"response\": \"    return 1\"}]}";
        var disabled = new InMemoryTaskContext("humaneval", options, null, new InMemoryTaskContext.Store());
        var noSandbox = new InMemoryTaskContext("humaneval", options, null, new InMemoryTaskContext.Store());

        assertThatThrownBy(() -> new LmEvalTaskRunner(
                                "humaneval",
                                catalog,
                                datasets,
                                null,
                                MAPPER,
                                CodeExecutionProperties.disabled(),
                                python(sandbox))
                        .run(disabled))
                .isInstanceOf(ProgramExecutionUnavailableException.class)
                .hasMessageContaining("code execution is not enabled");
        assertThatThrownBy(() -> new LmEvalTaskRunner(
                                "humaneval",
                                catalog,
                                datasets,
                                null,
                                MAPPER,
                                new CodeExecutionProperties(true),
                                python(null))
                        .run(noSandbox))
                .isInstanceOf(ProgramExecutionUnavailableException.class)
                .hasMessageContaining("code execution is not available");
        assertThat(disabled.store.samples).isEmpty();
        assertThat(noSandbox.store.samples).isEmpty();
    }

    @Test
    void theSamplesExportWritesPassAtOneAndThePredictionsAsLmEvalDoes() {
        var context = new InMemoryTaskContext(
                "humaneval",
                "{\"limit\": 1, \"outputs\": "
                        + outputs(List.of(
                                humaneval.get(0).get("canonical_solution").stringValue())) + "}",
                null,
                new InMemoryTaskContext.Store());
        runner("humaneval", datasets).run(context);

        var stored = context.store.samples.get(0);
        JsonNode line = MAPPER.readTree(SampleRecords.samplesLine(
                catalog.task("humaneval").orElseThrow(), stored.record(), stored.scores(), "create_test"));
        assertThat(line.get("metrics").toString()).isEqualTo("[\"pass@1\"]");
        assertThat(line.get("pass@1").doubleValue()).isEqualTo(1.0);
        assertThat(line.get("filtered_resps").get(0).get(0).stringValue())
                .isEqualTo(humaneval.get(0).get("prompt").stringValue()
                        + humaneval.get(0).get("canonical_solution").stringValue());
        assertThat(line.has("programs")).isFalse();

        JsonNode results = new LmEvalResults(
                        catalog,
                        "humaneval",
                        LmEvalOptions.of(context.options()),
                        LmEvalTaskRunner.scoresByTask(
                                context.store.sampleScores().values()))
                .toJson(Map.of("humaneval", 164));
        assertThat(results.get("results")
                        .get("humaneval")
                        .get("pass@1,create_test")
                        .doubleValue())
                .isEqualTo(1.0);
        // lm-eval gives pass_at_k's direction to the pass@1 key process_results returned
        assertThat(results.get("higher_is_better").get("humaneval").toString())
                .isEqualTo("{\"pass_at_k\":true,\"pass@1\":true}");
    }
}
