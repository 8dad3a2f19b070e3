package ai.assay.api.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.core.lmeval.GenerationTasks;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.ScoringArguments;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import ai.assay.reference.python.PyJson;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /imports/lm-eval} with results and samples files written here as lm-eval v0.4.12 writes them
 * (one samples line per document and filter, log-likelihoods as Python's {@code str}), over the shared fixture
 * rows, which serve as Assay's datasets, and lm-eval's own task files.
 */
@RequiresSharedFixtures
class LmEvalImportTests extends ApiIntegrationTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int ARC_DOCS = 12;
    private static final int GSM8K_DOCS = 6;
    private static final int IFEVAL_DOCS = 8;

    @DynamicPropertySource
    static void fixtures(DynamicPropertyRegistry registry) {
        registry.add("assay.lmeval.tasks-dir", () -> SharedFixtures.tasks().toString());
        registry.add("assay.datasets.dir", () -> SharedFixtures.root().toString());
        registry.add("assay.datasets.offline", () -> "true");
        registry.add("assay.lmeval.offline", () -> "true");
    }

    /** Skips the class, before its Spring context starts, where the shared fixtures are absent. */
    @BeforeAll
    static void sharedFixturesArePresent() {
        SharedFixtures.root();
    }

    @Autowired
    private LmEvalCatalog catalog;

    @BeforeEach
    void emptyTables() {
        jdbc.sql("TRUNCATE evaluation CASCADE").update();
    }

    // ---- lm-eval's files, written as lm-eval writes them ----

    /** A run of arc_easy over the first {@link #ARC_DOCS} documents: each picks {@code chosen(doc)}. */
    private record Run(ObjectNode results, ArrayNode lines) {

        String body(String model) {
            ObjectNode body = MAPPER.createObjectNode();
            body.putObject("model").put("name", model);
            body.set("results", results);
            String task =
                    results.get("group_subtasks").propertyNames().iterator().next();
            StringBuilder jsonl = new StringBuilder();
            lines.forEach(line -> jsonl.append(PyJson.dumps(line)).append('\n'));
            body.putObject("samples").put(task, jsonl.toString());
            body.putObject("labels").put("source", "lm-eval");
            return body.toString();
        }
    }

    private Run arcRun(java.util.function.IntUnaryOperator chosen) {
        LmEvalTask task = catalog.task("arc_easy").orElseThrow();
        List<DocRequests> docs = SharedFixtures.requests(task, 0, ARC_DOCS);
        ArrayNode lines = MAPPER.createArrayNode();
        double[] acc = new double[docs.size()];
        for (DocRequests doc : docs) {
            JsonNode row = doc.doc().json();
            List<String> labels = new ArrayList<>();
            row.get("choices").get("label").forEach(l -> labels.add(l.stringValue()));
            int gold = labels.indexOf(row.get("answerKey").stringValue());
            int pick = chosen.applyAsInt(doc.docId()) % doc.arguments().size();
            ObjectNode line = lines.addObject();
            line.put("doc_id", doc.docId());
            line.set("doc", row);
            line.put("target", gold);
            ObjectNode arguments = line.putObject("arguments");
            ArrayNode resps = line.putArray("resps");
            ArrayNode filtered = line.putArray("filtered_resps");
            for (int i = 0; i < doc.arguments().size(); i++) {
                ScoringArguments argument = doc.arguments().get(i);
                arguments
                        .putObject("gen_args_" + i)
                        .put("arg_0", argument.context())
                        .put("arg_1", argument.continuation());
                // the picked choice far ahead of the others, per character too, so acc and acc_norm agree
                String ll = i == pick ? "-0.5" : Double.toString(-10000.0 - i);
                String greedy = i == pick ? "True" : "False";
                resps.addArray().addArray().add(ll).add(greedy);
                filtered.addArray().add(ll).add(greedy);
            }
            line.put("filter", "none");
            line.putArray("metrics").add("acc").add("acc_norm");
            line.put("doc_hash", sha256(PyJson.dumps(row, 2)));
            line.put("prompt_hash", sha256(doc.arguments().get(0).context()));
            line.put("target_hash", sha256(Integer.toString(gold)));
            acc[doc.docId()] = pick == gold ? 1.0 : 0.0;
            line.put("acc", acc[doc.docId()]);
            line.put("acc_norm", acc[doc.docId()]);
        }
        Map<String, double[]> metrics = new LinkedHashMap<>();
        metrics.put("acc,none", acc);
        metrics.put("acc_norm,none", acc);
        return new Run(results("arc_easy", 1.0, 0, docs.size(), 40, metrics), lines);
    }

    /**
     * gsm8k, 5-shot, over the first {@link #GSM8K_DOCS} documents: documents 0, 3 answer with {@code #### N} (both
     * filters right), 1, 4 say "The answer is N." (only flexible-extract right), 2, 5 give a wrong number.
     */
    private Run gsm8kRun() {
        LmEvalTask task = catalog.task("gsm8k").orElseThrow();
        List<DocRequests> docs = SharedFixtures.requests(task, 5, GSM8K_DOCS);
        ArrayNode lines = MAPPER.createArrayNode();
        double[] strict = new double[docs.size()];
        double[] flexible = new double[docs.size()];
        Pattern number = Pattern.compile("(-?[$0-9.,]{2,})|(-?[0-9]+)");
        for (DocRequests doc : docs) {
            JsonNode row = doc.doc().json();
            String answer = row.get("answer").stringValue();
            String gold = answer.substring(answer.lastIndexOf("#### ") + 5).strip();
            String response = switch (doc.docId() % 3) {
                case 0 -> "Adding it up step by step.\n#### " + gold;
                case 1 -> "The answer is " + gold + ".";
                default -> "It is 987654321.";
            };
            strict[doc.docId()] = doc.docId() % 3 == 0 ? 1 : 0;
            flexible[doc.docId()] = doc.docId() % 3 == 2 ? 0 : 1;
            Matcher m = number.matcher(response);
            String last = null;
            while (m.find()) {
                last = m.group();
            }
            for (String filter : List.of("strict-match", "flexible-extract")) {
                ObjectNode line = lines.addObject();
                line.put("doc_id", doc.docId());
                line.set("doc", row);
                line.put("target", answer);
                ObjectNode arguments = line.putObject("arguments").putObject("gen_args_0");
                arguments.put("arg_0", doc.generation().context());
                arguments.set("arg_1", MAPPER.valueToTree(doc.generation().arguments()));
                line.putArray("resps").addArray().add(response);
                boolean strictFilter = filter.equals("strict-match");
                line.putArray("filtered_resps").add(strictFilter ? (doc.docId() % 3 == 0 ? gold : "[invalid]") : last);
                line.put("filter", filter);
                line.putArray("metrics").add("exact_match");
                line.put("doc_hash", sha256(PyJson.dumps(row, 2)));
                line.put("prompt_hash", sha256(doc.generation().context()));
                line.put("target_hash", sha256(answer));
                line.put("exact_match", strictFilter ? strict[doc.docId()] : flexible[doc.docId()]);
            }
        }
        Map<String, double[]> metrics = new LinkedHashMap<>();
        metrics.put("exact_match,strict-match", strict);
        metrics.put("exact_match,flexible-extract", flexible);
        return new Run(results("gsm8k", 3.0, 5, docs.size(), 40, metrics), lines);
    }

    /**
     * ifeval over its first {@link #IFEVAL_DOCS} documents, each answered with one of two texts; the values of each
     * line are those of IFEval's {@code process_results} (prompt level a bool, instruction level a list of bools),
     * taken from Assay's scorer, whose own tests hold it to lm-eval's.
     */
    private Run ifevalRun() {
        LmEvalTask task = catalog.task("ifeval").orElseThrow();
        List<DocRequests> docs = SharedFixtures.requests(task, 0, IFEVAL_DOCS);
        GenerationTasks.Scorer scorer = GenerationTasks.scorer(task);
        ArrayNode lines = MAPPER.createArrayNode();
        double[] strict = new double[docs.size()];
        double[] loose = new double[docs.size()];
        long[] followed = new long[2];
        long[] count = new long[2];
        for (DocRequests doc : docs) {
            String response = doc.docId() % 2 == 0
                    ? "here is a short answer, all in lowercase, with no commas at all"
                    : "HERE IS A LONGER ANSWER.\n\nIt has two paragraphs, and *one highlighted part*.";
            Map<String, Object> values = scorer.score(doc.doc(), task.docToTarget(doc.doc()), List.of(response))
                    .details();
            ObjectNode line = lines.addObject();
            line.put("doc_id", doc.docId());
            line.set("doc", doc.doc().json());
            line.put("target", "0");
            ObjectNode arguments = line.putObject("arguments").putObject("gen_args_0");
            arguments.put("arg_0", doc.generation().context());
            arguments.set("arg_1", MAPPER.valueToTree(doc.generation().arguments()));
            line.putArray("resps").addArray().add(response);
            line.putArray("filtered_resps").add(response);
            line.put("filter", "none");
            ArrayNode names = line.putArray("metrics");
            values.keySet().forEach(names::add);
            line.put("doc_hash", sha256(PyJson.dumps(doc.doc().json(), 2)));
            line.put("prompt_hash", sha256(doc.generation().context()));
            line.put("target_hash", sha256("0"));
            values.forEach((metric, value) -> line.set(metric, MAPPER.valueToTree(value)));
            strict[doc.docId()] = (Boolean) values.get("prompt_level_strict_acc") ? 1 : 0;
            loose[doc.docId()] = (Boolean) values.get("prompt_level_loose_acc") ? 1 : 0;
            int i = 0;
            for (String metric : List.of("inst_level_strict_acc", "inst_level_loose_acc")) {
                for (Object one : (List<?>) values.get(metric)) {
                    followed[i] += Boolean.TRUE.equals(one) ? 1 : 0;
                    count[i]++;
                }
                i++;
            }
        }
        Map<String, double[]> metrics = new LinkedHashMap<>();
        metrics.put("prompt_level_strict_acc,none", strict);
        metrics.put("prompt_level_loose_acc,none", loose);
        ObjectNode results = results("ifeval", 4.0, 0, docs.size(), 40, metrics);
        ObjectNode scores = (ObjectNode) results.get("results").get("ifeval");
        // agg_inst_level_acc pools the instructions of every document; a !function aggregation has no stderr
        scores.put("inst_level_strict_acc,none", (double) followed[0] / count[0]);
        scores.put("inst_level_strict_acc_stderr,none", "N/A");
        scores.put("inst_level_loose_acc,none", (double) followed[1] / count[1]);
        scores.put("inst_level_loose_acc_stderr,none", "N/A");
        return new Run(results, lines);
    }

    /** A results.json of one task: each metric's mean and its stderr (sample standard deviation over root n). */
    private static ObjectNode results(
            String task, double version, int shots, int effective, int original, Map<String, double[]> metrics) {
        ObjectNode json = MAPPER.createObjectNode();
        ObjectNode results = json.putObject("results").putObject(task);
        results.put("alias", task);
        results.put("name", task);
        results.put("sample_len", effective);
        metrics.forEach((key, values) -> {
            double mean = 0;
            for (double v : values) {
                mean += v;
            }
            mean /= values.length;
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            String[] parts = key.split(",");
            results.put(key, mean);
            results.put(
                    parts[0] + "_stderr," + parts[1],
                    Math.sqrt(squares / (values.length - 1)) / Math.sqrt(values.length));
        });
        json.putObject("group_subtasks").putArray(task);
        json.putObject("configs").putObject(task).put("task", task);
        json.putObject("versions").put(task, version);
        json.putObject("n-shot").put(task, shots);
        json.putObject("n-samples").putObject(task).put("original", original).put("effective", effective);
        ObjectNode config = json.putObject("config");
        config.put("model", "hf")
                .put("model_args", "pretrained=EleutherAI/pythia-160m")
                .put("fewshot_seed", 1234);
        json.put("lm_eval_version", "0.4.12");
        json.put("model_name", "EleutherAI/pythia-160m");
        return json;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, JsonNode> metrics(JsonNode task) {
        Map<String, JsonNode> metrics = new LinkedHashMap<>();
        task.get("metrics")
                .forEach(m -> metrics.put(
                        m.get("metric").stringValue() + "," + m.get("filter").stringValue(), m));
        return metrics;
    }

    private long sampleRows(String evaluationId) {
        return jdbc.sql("SELECT count(*) FROM sample_score s JOIN evaluation_task t ON t.id = s.task_id"
                        + " WHERE t.evaluation_id = CAST(:id AS uuid)")
                .param("id", evaluationId)
                .query(Long.class)
                .single();
    }

    // ---- imports ----

    @Test
    void anArcEasyImportJoinsTheLeaderboardWithPerSampleScores() {
        Run strong = arcRun(doc -> goldOf(doc));
        Run weak = arcRun(doc -> doc % 2 == 0 ? goldOf(doc) : goldOf(doc) + 1);

        Response first = api.postJson("/imports/lm-eval", strong.body("pythia-strong"));
        Response second = api.postJson("/imports/lm-eval", weak.body("pythia-weak"));

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        JsonNode evaluation = second.json();
        assertThat(second.location())
                .isEqualTo("/evaluations/" + evaluation.get("id").stringValue());
        assertThat(evaluation.get("state").stringValue()).isEqualTo("succeeded");
        JsonNode task = evaluation.get("tasks").get(0);
        assertThat(task.get("name").stringValue()).isEqualTo("arc_easy");
        Map<String, JsonNode> metrics = metrics(task);
        double expected =
                weak.results().get("results").get("arc_easy").get("acc,none").doubleValue();
        assertThat(metrics.get("acc,none").get("value").doubleValue()).isCloseTo(expected, within(1e-12));
        assertThat(metrics.get("acc,none").get("n").intValue()).isEqualTo(ARC_DOCS);
        assertThat(metrics.get("acc_norm,none").get("stderr").doubleValue())
                .isCloseTo(
                        weak.results()
                                .get("results")
                                .get("arc_easy")
                                .get("acc_norm_stderr,none")
                                .doubleValue(),
                        within(1e-12));
        assertThat(sampleRows(evaluation.get("id").stringValue())).isEqualTo(ARC_DOCS);

        // both are ranked, and compared document by document as runs are
        JsonNode board = api.get("/leaderboard?task=arc_easy&sort=arc_easy:acc").json();
        assertThat(board.get("rows")).hasSize(2);
        assertThat(board.get("rows").get(0).get("model").stringValue()).isEqualTo("pythia-strong");
        assertThat(board.get("rows").get(0).get("vsNext").get("method").stringValue())
                .isEqualTo("mcnemar-exact");

        // and the samples export gives lm-eval's lines back
        String samples = api.get("/evaluations/" + evaluation.get("id").stringValue() + "/tasks/arc_easy/samples")
                .body();
        JsonNode exported = MAPPER.readTree(samples.lines().toList().get(1));
        JsonNode given = weak.lines().get(1);
        assertThat(exported.get("doc_hash")).isEqualTo(given.get("doc_hash"));
        assertThat(exported.get("resps")).isEqualTo(given.get("resps"));
        assertThat(exported.get("arguments")).isEqualTo(given.get("arguments"));
        assertThat(exported.get("acc").doubleValue()).isEqualTo(given.get("acc").doubleValue());
    }

    private int goldOf(int docId) {
        JsonNode row =
                SharedFixtures.rows("allenai/ai2_arc", "ARC-Easy", "test").get(docId);
        List<String> labels = new ArrayList<>();
        row.get("choices").get("label").forEach(l -> labels.add(l.stringValue()));
        return labels.indexOf(row.get("answerKey").stringValue());
    }

    @Test
    void aGsm8kImportKeepsEachFiltersScores() {
        Run run = gsm8kRun();

        Response response = api.postJson("/imports/lm-eval", run.body("pythia-gsm8k"));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode task = response.json().get("tasks").get(0);
        assertThat(task.get("name").stringValue()).isEqualTo("gsm8k");
        Map<String, JsonNode> metrics = metrics(task);
        assertThat(metrics.get("exact_match,strict-match").get("value").doubleValue())
                .isCloseTo(2.0 / 6, within(1e-12));
        assertThat(metrics.get("exact_match,flexible-extract").get("value").doubleValue())
                .isCloseTo(4.0 / 6, within(1e-12));
        String id = response.json().get("id").stringValue();
        assertThat(sampleRows(id)).isEqualTo(GSM8K_DOCS);
        JsonNode stored = MAPPER.readTree(jdbc.sql("SELECT s.record::text FROM sample_score s JOIN evaluation_task t"
                        + " ON t.id = s.task_id WHERE t.evaluation_id = CAST(:id AS uuid) AND s.doc_id = 1")
                .param("id", id)
                .query(String.class)
                .single());
        assertThat(stored.get("resps").get(0).stringValue()).startsWith("The answer is ");
        assertThat(stored.get("filtered_resps").get("strict-match").stringValue())
                .isEqualTo("[invalid]");
        JsonNode scores = MAPPER.readTree(jdbc.sql("SELECT s.scores::text FROM sample_score s JOIN evaluation_task t"
                        + " ON t.id = s.task_id WHERE t.evaluation_id = CAST(:id AS uuid) AND s.doc_id = 1")
                .param("id", id)
                .query(String.class)
                .single());
        assertThat(scores.get("exact_match,flexible-extract").doubleValue()).isEqualTo(1.0);
        assertThat(scores.get("exact_match,strict-match").doubleValue()).isEqualTo(0.0);
        JsonNode board = api.get("/leaderboard?task=gsm8k").json();
        assertThat(board.get("rows").get(0).get("model").stringValue()).isEqualTo("pythia-gsm8k");
    }

    @Test
    void anIfEvalImportKeepsTheInstructionLevelCounts() {
        Run run = ifevalRun();

        Response response = api.postJson("/imports/lm-eval", run.body("pythia-ifeval"));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        Map<String, JsonNode> metrics = metrics(response.json().get("tasks").get(0));
        JsonNode given = run.results().get("results").get("ifeval");
        for (String key : List.of(
                "prompt_level_strict_acc,none",
                "inst_level_strict_acc,none",
                "prompt_level_loose_acc,none",
                "inst_level_loose_acc,none")) {
            assertThat(metrics.get(key).get("value").doubleValue())
                    .as(key)
                    .isCloseTo(given.get(key).doubleValue(), within(1e-12));
        }
        assertThat(metrics.get("inst_level_strict_acc,none").get("stderr").isNull())
                .isTrue();
        JsonNode scores = MAPPER.readTree(jdbc.sql("SELECT s.scores::text FROM sample_score s JOIN evaluation_task t"
                        + " ON t.id = s.task_id WHERE t.evaluation_id = CAST(:id AS uuid) AND s.doc_id = 0")
                .param("id", response.json().get("id").stringValue())
                .query(String.class)
                .single());
        assertThat(scores.get("inst_level_strict_acc,none:count").doubleValue())
                .isEqualTo(run.lines().get(0).get("inst_level_strict_acc").size());
    }

    @Test
    void anInstructionLevelListThatDisagreesIsRefused() {
        Run run = ifevalRun();
        ArrayNode list = (ArrayNode) run.lines().get(1).get("inst_level_loose_acc");
        list.set(0, MAPPER.getNodeFactory().booleanNode(!list.get(0).booleanValue()));

        refused(run, "/samples/ifeval/1/inst_level_loose_acc", "the line of document 1 of ifeval follows");
    }

    // ---- refusals: each names what is wrong, and nothing is stored ----

    private void refused(Run run, String pointer, String detailPart) {
        var before = rowCounts();
        Response response = api.postJson("/imports/lm-eval", run.body("refused-model"));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        List<String> pointers = new ArrayList<>();
        List<String> details = new ArrayList<>();
        response.json().get("errors").forEach(e -> {
            pointers.add(e.get("pointer").stringValue());
            details.add(e.get("detail").stringValue());
        });
        assertThat(pointers).as(response.body()).contains(pointer);
        assertThat(String.join("\n", details)).contains(detailPart);
        assertThat(rowCounts()).isEqualTo(before);
    }

    private Run arcWith(Consumer<Run> change) {
        Run run = arcRun(this::goldOf);
        change.accept(run);
        return run;
    }

    private Run gsm8kWith(Consumer<Run> change) {
        Run run = gsm8kRun();
        change.accept(run);
        return run;
    }

    @Test
    void anUnknownDocIdIsRefused() {
        refused(
                arcWith(run -> ((ObjectNode) run.lines().get(3)).put("doc_id", 40)),
                "/samples/arc_easy/3/doc_id",
                "unknown doc_id 40: arc_easy has 40 documents");
    }

    @Test
    void aDocumentBeyondTheCountedOnesIsRefused() {
        refused(
                arcWith(run -> ((ObjectNode) run.lines().get(3)).put("doc_id", ARC_DOCS + 2)),
                "/samples/arc_easy/3/doc_id",
                "beyond the 12 documents");
    }

    @Test
    void samplesMissingForSomeDocumentsAreRefused() {
        refused(
                arcWith(run -> run.lines().remove(5)),
                "/samples/arc_easy",
                "samples are missing for 1 of the 12 documents of arc_easy that the results.json counts: doc_id [5]");
    }

    @Test
    void aMissingFilterIsRefused() {
        refused(
                gsm8kWith(run -> run.lines().remove(5)), // document 2's flexible-extract line
                "/samples/gsm8k",
                "document 2 of gsm8k has no line for the filter flexible-extract");
    }

    @Test
    void aFilterTheTaskDoesNotHaveIsRefused() {
        refused(
                gsm8kWith(run -> ((ObjectNode) run.lines().get(1)).put("filter", "get-answer")),
                "/samples/gsm8k/1/filter",
                "gsm8k has no filter get-answer");
    }

    @Test
    void anotherTaskVersionIsRefused() {
        refused(
                arcWith(run -> ((ObjectNode) run.results().get("versions")).put("arc_easy", 2.0)),
                "/results/versions/arc_easy",
                "arc_easy is version 2.0 in the results.json, but Assay scores version 1.0");
    }

    @Test
    void aTaskAssayDoesNotKnowIsRefused() {
        refused(
                arcWith(run -> {
                    ObjectNode subtasks = (ObjectNode) run.results().get("group_subtasks");
                    subtasks.putArray("my_private_task");
                }),
                "/results/group_subtasks/my_private_task",
                "which Assay does not know");
    }

    @Test
    void aSampleWhoseMetricDisagreesWithItsResponsesIsRefused() {
        refused(
                arcWith(run -> ((ObjectNode) run.lines().get(4)).put("acc", 0.0)),
                "/samples/arc_easy/4/acc",
                "gives acc = 0.0 where Assay's scoring of its responses gives 1.0");
    }

    @Test
    void aGenerationWhoseMetricDisagreesWithItsResponseIsRefused() {
        refused(
                gsm8kWith(run -> ((ObjectNode) run.lines().get(3)).put("exact_match", 0.0)),
                "/samples/gsm8k/3/exact_match",
                "the line of document 1 of gsm8k gives exact_match = 0.0");
    }

    @Test
    void anAggregateThatDisagreesWithTheSamplesIsRefused() {
        refused(
                arcWith(run -> ((ObjectNode) run.results().get("results").get("arc_easy")).put("acc,none", 0.75)),
                "/results/results/arc_easy/acc,none",
                "the results.json gives arc_easy acc,none = 0.75, but its samples give 1.0");
    }

    @Test
    void aDocumentThatIsNotAssaysRowIsRefused() {
        refused(
                arcWith(run -> ((ObjectNode) run.lines().get(2)).put("doc_hash", sha256("another row"))),
                "/samples/arc_easy/2/doc_hash",
                "document 2 of arc_easy is not the row Assay has for it");
    }

    @Test
    void samplesOfATaskTheResultsDoNotHoldAreRefused() {
        Run run = arcRun(this::goldOf);
        ObjectNode body = (ObjectNode) MAPPER.readTree(run.body("refused-model"));
        ((ObjectNode) body.get("samples")).put("arc_challenge", "{\"doc_id\": 0}\n");
        var before = rowCounts();

        Response response = api.postJson("/imports/lm-eval", body.toString());

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("pointer").stringValue())
                .isEqualTo("/samples/arc_challenge");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void filesOfAnyOtherShapeAreProblemsThatStoreNothing() {
        List<Consumer<Run>> changes = List.of(
                run -> ((ObjectNode) run.results().get("group_subtasks")).put("arc_easy", "not a list"),
                run -> ((ObjectNode) run.results().get("group_subtasks"))
                        .putObject("arc_easy")
                        .put("a", 1),
                run -> ((ObjectNode) run.results().get("versions")).putObject("arc_easy"),
                run -> ((ObjectNode) run.results().get("n-shot")).put("arc_easy", "zero"),
                run -> ((ObjectNode) run.results().get("n-samples")).put("arc_easy", 3),
                run -> ((ObjectNode) run.results().get("results")).put("arc_easy", "none"),
                run -> ((ObjectNode) run.lines().get(0)).put("resps", "no"),
                run -> ((ObjectNode) run.lines().get(0))
                        .putArray("resps")
                        .addArray()
                        .add(1),
                run -> ((ObjectNode) run.lines().get(0)).putObject("arguments").put("gen_args_0", 1),
                run -> ((ObjectNode) run.lines().get(0)).put("doc_id", "0"),
                run -> ((ObjectNode) run.lines().get(0)).put("filter", 3),
                run -> ((ObjectNode) run.lines().get(0)).put("acc", "1.0"),
                run -> ((ObjectNode) run.lines().get(0)).remove(List.of("doc_hash", "doc")));
        for (int i = 0; i < changes.size(); i++) {
            Run run = arcRun(this::goldOf);
            changes.get(i).accept(run);
            var before = rowCounts();

            Response response = api.postJson("/imports/lm-eval", run.body("odd-model"));

            assertThat(response.status())
                    .as("change %d: %s", i, response.body())
                    .isEqualTo(400);
            assertThat(response.isProblem()).isTrue();
            assertThat(rowCounts()).isEqualTo(before);
        }
    }

    @Test
    void aBodyWithoutSamplesOrResultsIsRefusedNamingThem() {
        Response response = api.postJson("/imports/lm-eval", "{\"model\": {\"name\": \"m\"}, \"extra\": 1}");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        List<String> pointers = new ArrayList<>();
        response.json().get("errors").forEach(e -> pointers.add(e.get("pointer").stringValue()));
        assertThat(pointers).contains("/results", "/samples", "/extra");
    }

    // ---- who may import ----

    private String token(String name, String scope) {
        return api.postJson("/admin/tokens", "{\"name\": \"" + name + "\", \"scopes\": [\"" + scope + "\"]}")
                .json()
                .get("token")
                .stringValue();
    }

    @Test
    void anImportNeedsTheSubmitScope() {
        String body = arcRun(this::goldOf).body("scoped-model");
        String readToken = token("reader", "read");
        String submitToken = token("submitter", "submit");
        var before = rowCounts();

        Response anonymous = api.anonymous().postJson("/imports/lm-eval", body);
        Response reader = api.withToken(readToken).postJson("/imports/lm-eval", body);

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.json().get("requiredScope").stringValue()).isEqualTo("submit");
        assertThat(rowCounts()).isEqualTo(before);
        Response submitter = api.withToken(submitToken).postJson("/imports/lm-eval", body);
        assertThat(submitter.status()).as(submitter.body()).isEqualTo(201);
    }

    @Test
    void replacingAModelsResultsNeedsReplaceTrueAndTheAdminScope() {
        String first = api.postJson("/imports/lm-eval", arcRun(this::goldOf).body("pythia-again"))
                .json()
                .get("id")
                .stringValue();
        String again = arcRun(doc -> goldOf(doc) + 1).body("pythia-again");
        String replacing = again.replaceFirst("\\{", "{\"replace\": true, ");
        String submitToken = token("importer", "submit");
        var before = rowCounts();

        Response conflict = api.postJson("/imports/lm-eval", again);
        Response refused = api.withToken(submitToken).postJson("/imports/lm-eval", replacing);

        assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
        assertThat(conflict.json().get("type").stringValue()).isEqualTo("/problems/model-has-results");
        assertThat(conflict.json().get("evaluationId").stringValue()).isEqualTo(first);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().get("requiredScope").stringValue()).isEqualTo("admin");
        assertThat(rowCounts()).isEqualTo(before);

        Response replaced = api.postJson("/imports/lm-eval", replacing);
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(201);
        JsonNode board = api.get("/leaderboard?task=arc_easy").json();
        assertThat(board.get("rows").get(0).get("evaluationId").stringValue())
                .isEqualTo(replaced.json().get("id").stringValue());
    }
}
