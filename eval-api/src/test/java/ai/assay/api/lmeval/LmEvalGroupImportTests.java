package ai.assay.api.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.core.lmeval.GenerationTasks;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.SampleRecords;
import ai.assay.reference.lmeval.TaskPrompts;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import ai.assay.reference.python.PyJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An lm-eval run of a whole group, {@code bbh_cot_zeroshot} (27 subtasks, each with its own filters), imported:
 * the samples of every subtask re-scored, the subtasks' aggregates and the group's size-weighted one checked, and
 * the group stored as one evaluation task. The fixtures hold rows of two BBH subtasks only, so each subtask's split
 * is two rows made up here, in the dataset's columns, as the datasets directory.
 */
@RequiresSharedFixtures
class LmEvalGroupImportTests extends ApiIntegrationTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final String GROUP = "bbh_cot_zeroshot";

    private static final String RESPONSE = "Thinking it over, the answer is (A).";

    @TempDir
    static Path datasets;

    @DynamicPropertySource
    static void fixtures(DynamicPropertyRegistry registry) {
        registry.add("assay.lmeval.tasks-dir", () -> SharedFixtures.tasks().toString());
        registry.add("assay.datasets.dir", () -> datasets.toString());
    }

    @BeforeAll
    static void madeUpRows() throws IOException {
        for (String subtask : new LmEvalCatalog(new ai.assay.core.lmeval.taskfiles.LmEvalTaskFiles(
                        ai.assay.core.lmeval.taskfiles.LmEvalTaskFilesProperties.of(SharedFixtures.tasks(), true),
                        datasets.resolve("cache")))
                .leaves(GROUP).stream().map(leaf -> leaf.config().datasetName()).toList()) {
            Path split = datasets.resolve("SaylorTwift/bbh").resolve(subtask).resolve("test.jsonl");
            Files.createDirectories(split.getParent());
            StringBuilder rows = new StringBuilder();
            for (String target : List.of("(A)", "(B)")) {
                rows.append(MAPPER.writeValueAsString(Map.of(
                                "input",
                                "A made-up " + subtask + " question.\nOptions:\n(A) first\n(B) second\nList: pear fig",
                                "target",
                                target)))
                        .append('\n');
            }
            Files.writeString(split, rows);
        }
    }

    @Autowired
    private LmEvalCatalog catalog;

    @BeforeEach
    void emptyTables() {
        jdbc.sql("TRUNCATE evaluation CASCADE").update();
    }

    /** The results.json and samples lm-eval writes for the group when every response is {@link #RESPONSE}. */
    private ObjectNode body() throws IOException {
        ObjectNode results = MAPPER.createObjectNode();
        ObjectNode entries = results.putObject("results");
        ObjectNode subtasks = results.putObject("group_subtasks");
        ArrayNode members = subtasks.putArray(GROUP);
        ObjectNode versions = results.putObject("versions");
        ObjectNode shots = results.putObject("n-shot");
        ObjectNode counts = results.putObject("n-samples");
        ObjectNode samples = MAPPER.createObjectNode();
        double flexibleSum = 0;
        int documents = 0;
        for (LmEvalTask leaf : catalog.leaves(GROUP)) {
            String name = leaf.name();
            members.add(name);
            subtasks.putArray(name);
            versions.put(name, 3.0);
            shots.put(name, 0);
            counts.putObject(name).put("original", 2).put("effective", 2);
            List<ObjectNode> rows = Files.readAllLines(datasets.resolve("SaylorTwift/bbh")
                            .resolve(leaf.config().datasetName())
                            .resolve("test.jsonl"))
                    .stream()
                    .map(line -> (ObjectNode) MAPPER.readTree(line))
                    .toList();
            List<DocRequests> docs = TaskPrompts.build(leaf, leaf.docs(rows), List.of(), 0, 1234, null);
            GenerationTasks.Scorer scorer = GenerationTasks.scorer(leaf);
            ArrayNode lines = samples.putArray(name);
            Map<String, double[]> byFilter = new LinkedHashMap<>();
            for (DocRequests doc : docs) {
                Object target = leaf.docToTarget(doc.doc());
                GenerationTasks.ScoredDocument scored = scorer.score(doc.doc(), target, List.of(RESPONSE));
                for (String filter : SampleRecords.filters(leaf)) {
                    double value = scored.scores().get("exact_match," + filter);
                    byFilter.computeIfAbsent(filter, f -> new double[docs.size()])[doc.docId()] = value;
                    ObjectNode line = lines.addObject();
                    line.put("doc_id", doc.docId());
                    line.set("doc", doc.doc().json());
                    line.put("target", (String) target);
                    ObjectNode arguments = line.putObject("arguments").putObject("gen_args_0");
                    arguments.put("arg_0", doc.generation().context());
                    arguments.set("arg_1", MAPPER.valueToTree(doc.generation().arguments()));
                    line.putArray("resps").addArray().add(RESPONSE);
                    line.putArray("filtered_resps")
                            .add((String) scored.filtered().get(filter));
                    line.put("filter", filter);
                    line.putArray("metrics").add("exact_match");
                    line.put(
                            "doc_hash",
                            SampleRecords.sha256(PyJson.dumps(doc.doc().json(), 2)));
                    line.put(
                            "prompt_hash", SampleRecords.sha256(doc.generation().context()));
                    line.put("target_hash", SampleRecords.sha256((String) target));
                    line.put("exact_match", value);
                }
            }
            ObjectNode entry = entries.putObject(name);
            entry.put("alias", name).put("name", name).put("sample_len", docs.size());
            byFilter.forEach((filter, values) -> {
                double mean = (values[0] + values[1]) / 2;
                entry.put("exact_match," + filter, mean);
                // the sample standard deviation over root n, for two values
                entry.put("exact_match_stderr," + filter, Math.abs(values[0] - values[1]) / 2);
            });
            flexibleSum += byFilter.get("flexible-extract")[0] + byFilter.get("flexible-extract")[1];
            documents += docs.size();
        }
        ObjectNode group = entries.putObject(GROUP);
        group.put("alias", GROUP).put("name", GROUP);
        group.put("exact_match,flexible-extract", flexibleSum / documents);
        group.put("exact_match_stderr,flexible-extract", "N/A");
        versions.put(GROUP, 3.0);
        results.putObject("configs");
        results.putObject("config")
                .put("model", "hf")
                .put("model_args", "pretrained=m")
                .put("fewshot_seed", 1234);
        ObjectNode body = MAPPER.createObjectNode();
        body.putObject("model").put("name", "zeroshot-run");
        body.set("results", results);
        body.set("samples", samples);
        return body;
    }

    @Test
    void aGroupsRunImportsAsOneTaskWithEverySubtasksSamplesAndTheWeightedAggregate() throws IOException {
        ObjectNode body = body();
        double groupValue = body.get("results")
                .get("results")
                .get(GROUP)
                .get("exact_match,flexible-extract")
                .doubleValue();

        Response response = api.postJson("/imports/lm-eval", body.toString());

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode tasks = response.json().get("tasks");
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).get("name").stringValue()).isEqualTo(GROUP);
        JsonNode flexible = null;
        for (JsonNode metric : tasks.get(0).get("metrics")) {
            if ((metric.get("metric").stringValue() + "," + metric.get("filter").stringValue())
                    .equals("exact_match,flexible-extract")) {
                flexible = metric;
            }
        }
        assertThat(flexible).isNotNull();
        assertThat(flexible.get("value").doubleValue()).isCloseTo(groupValue, within(1e-12));
        assertThat(flexible.get("n").intValue()).isEqualTo(54);
        // the multiple-choice subtasks read (A): right for one of their two documents; the others' filters find
        // no yes/no, number or listed word in the response
        assertThat(groupValue).isGreaterThan(0).isLessThan(0.5);
        long rows = jdbc.sql("SELECT count(*) FROM sample_score s JOIN evaluation_task t ON t.id = s.task_id"
                        + " WHERE t.evaluation_id = CAST(:id AS uuid)")
                .param("id", response.json().get("id").stringValue())
                .query(Long.class)
                .single();
        assertThat(rows).isEqualTo(54);
    }

    @Test
    void aGroupAggregateOtherThanItsSubtasksGiveIsRefusedAndNothingIsStored() throws IOException {
        ObjectNode body = body();
        ((ObjectNode) body.get("results").get("results").get(GROUP)).put("exact_match,flexible-extract", 0.99);

        Response response = api.postJson("/imports/lm-eval", body.toString());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("/results/results/" + GROUP + "/exact_match,flexible-extract");
        assertThat(jdbc.sql("SELECT count(*) FROM evaluation").query(Long.class).single())
                .isZero();
    }
}
