package ai.assay.worker.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.lmeval.testing.LmEvalFixtures;
import ai.assay.core.results.StoredSampleScore;
import ai.assay.reference.lmeval.Aggregation;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.DocScoring;
import ai.assay.reference.lmeval.LogLikelihood;
import ai.assay.reference.lmeval.MetricResult;
import ai.assay.reference.lmeval.NumberKind;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.task.JobStoppedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LmEvalTaskRunnerTests {

    @TempDir
    Path temp;

    private LmEvalFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new LmEvalFixtures(temp);
    }

    private LmEvalTaskRunner runner(String task) {
        return new LmEvalTaskRunner(
                task,
                LmEvalFixtures.CATALOG,
                fixtures.datasets(),
                null,
                JsonMapper.builder().build());
    }

    @Test
    void scoresEveryDocumentLongestFirstInBatchesAndStoresRecordsAndMetrics() {
        ScriptedModel model = new ScriptedModel(false, 2048);
        var context = new InMemoryTaskContext(
                "arc_easy",
                "{\"numFewshot\": 1, \"limit\": 10, \"batchSize\": 8}",
                model,
                new InMemoryTaskContext.Store());

        runner("arc_easy").run(context);

        assertThat(context.store.samples).hasSize(10);
        int requests = model.batches.stream().mapToInt(List::size).sum();
        assertThat(requests)
                .isEqualTo(context.store.samples.values().stream()
                        .mapToInt(s -> s.record().get("arguments").size())
                        .sum());
        assertThat(model.batches).allSatisfy(batch -> assertThat(batch.size()).isLessThanOrEqualTo(8));
        // Whole documents a batch (so that the engine can share their contexts), longest document first.
        Map<String, Integer> batchOfDocument = new HashMap<>();
        Map<String, Integer> longestOfDocument = new LinkedHashMap<>();
        for (int b = 0; b < model.batches.size(); b++) {
            int batch = b;
            for (ScoringRequest r : model.batches.get(b)) {
                String document = r.id().substring(0, r.id().indexOf(':'));
                assertThat(batchOfDocument.computeIfAbsent(document, d -> batch))
                        .as(document)
                        .isEqualTo(batch);
                longestOfDocument.merge(document, r.contextTokens().length + r.continuationTokens().length, Math::max);
            }
        }
        assertThat(batchOfDocument).hasSize(10);
        assertThat(model.batches.size()).isLessThan(10);
        assertThat(new ArrayList<>(longestOfDocument.values())).isSortedAccordingTo((a, b) -> Integer.compare(b, a));

        // Each stored document: lm-eval's prompts, the engine's answers and the metrics they give.
        List<DocRequests> expected = fixtures.requests("arc_easy", 1, 10);
        for (DocRequests doc : expected) {
            JsonNode record = context.store.samples.get(doc.docId()).record();
            assertThat(record.get("task").stringValue()).isEqualTo("arc_easy");
            assertThat(ai.assay.reference.lmeval.SampleRecords.arguments(record))
                    .isEqualTo(doc.arguments());
            List<LogLikelihood> answers = new ArrayList<>();
            for (JsonNode resp : record.get("resps")) {
                answers.add(
                        new LogLikelihood(resp.get(0).doubleValue(), resp.get(1).booleanValue()));
            }
            Map<String, Double> metrics = DocScoring.score(LmEvalFixtures.task("arc_easy"), doc.doc(), answers);
            JsonNode scores = context.store.samples.get(doc.docId()).scores();
            assertThat(scores.get("acc").doubleValue()).isEqualTo(metrics.get("acc"));
            assertThat(scores.get("acc_norm").doubleValue()).isEqualTo(metrics.get("acc_norm"));
        }

        double[] acc = context.store.samples.values().stream()
                .mapToDouble(s -> s.scores().get("acc").doubleValue())
                .toArray();
        MetricResult expectedAcc = Aggregation.mean("acc", acc, NumberKind.PYTHON);
        assertThat(context.store.metrics).extracting(MetricValue::metric).containsExactly("acc", "acc_norm");
        MetricValue storedAcc = context.store.metrics.get(0);
        assertThat(storedAcc.value()).isEqualTo(expectedAcc.value());
        assertThat(storedAcc.stderr()).isEqualTo(expectedAcc.stderr());
        assertThat(storedAcc.n()).isEqualTo(10);
        assertThat(context.store
                        .result
                        .get("lmEval")
                        .get("originalCounts")
                        .get("arc_easy")
                        .intValue())
                .isEqualTo(40);
        assertThat(context.progress.phases).containsExactly("loading:null:0", "scoring:10:0");
        assertThat(context.progress.advanced).isEqualTo(10);
    }

    @Test
    void aStoppedRunResumesWithoutRedoingStoredDocumentsAndEndsWithTheSameMetrics() {
        ScriptedModel clean = new ScriptedModel(false, 2048);
        var uninterrupted = new InMemoryTaskContext(
                "winogrande", "{\"numFewshot\": 2, \"batchSize\": 8}", clean, new InMemoryTaskContext.Store());
        runner("winogrande").run(uninterrupted);

        InMemoryTaskContext.Store store = new InMemoryTaskContext.Store();
        ScriptedModel first = new ScriptedModel(false, 2048);
        var stopped = new InMemoryTaskContext("winogrande", "{\"numFewshot\": 2, \"batchSize\": 8}", first, store);
        stopped.stopAfterChecks = 5;
        assertThatThrownBy(() -> runner("winogrande").run(stopped)).isInstanceOf(JobStoppedException.class);
        int storedBefore = store.samples.size();
        assertThat(storedBefore).isBetween(1, 39);

        store.attempt = 2;
        ScriptedModel second = new ScriptedModel(false, 2048);
        var resumed = new InMemoryTaskContext("winogrande", "{\"numFewshot\": 2, \"batchSize\": 8}", second, store);
        runner("winogrande").run(resumed);

        int rescored = second.batches.stream().mapToInt(List::size).sum();
        assertThat(rescored).isEqualTo(2 * (40 - storedBefore));
        assertThat(store.samples).hasSize(40);
        assertThat(store.samples.values().stream().filter(s -> s.attempt() == 1).count())
                .isEqualTo(storedBefore);
        assertThat(resumed.progress.phases).contains("scoring:40:" + storedBefore);
        assertThat(store.metrics).isEqualTo(uninterrupted.store.metrics);
        for (int doc = 0; doc < 40; doc++) {
            assertThat(store.samples.get(doc).record())
                    .isEqualTo(uninterrupted.store.samples.get(doc).record());
        }
    }

    @Test
    void aGroupNumbersDocumentsAcrossItsTasksAndPoolsTheirMetrics() throws IOException {
        // Every MMLU subject, each with the abstract_algebra rows (the shipped fixtures hold two subjects).
        Path datasets = temp.resolve("datasets/cais/mmlu");
        for (String subject : LmEvalFixtures.CATALOG.leaves("mmlu").stream()
                .map(t -> t.config().datasetName())
                .toList()) {
            Path dir = Files.createDirectories(datasets.resolve(subject));
            for (String split : List.of("test", "dev")) {
                if (!Files.exists(dir.resolve(split + ".jsonl"))) {
                    Files.copy(datasets.resolve("abstract_algebra/" + split + ".jsonl"), dir.resolve(split + ".jsonl"));
                }
            }
        }
        ScriptedModel model = new ScriptedModel(true, 2048);
        var context = new InMemoryTaskContext(
                "mmlu", "{\"limit\": 2, \"batchSize\": 64}", model, new InMemoryTaskContext.Store());

        runner("mmlu").run(context);

        assertThat(context.store.samples).hasSize(114);
        StoredSampleScore third = context.store.samples.get(2);
        assertThat(third.record().get("task").stringValue())
                .isEqualTo(LmEvalFixtures.CATALOG.leaves("mmlu").get(1).name());
        assertThat(third.record().get("doc_id").intValue()).isZero();
        double[] acc = context.store.samples.values().stream()
                .mapToDouble(s -> s.scores().get("acc").doubleValue())
                .toArray();
        MetricValue group = context.store.metrics.get(0);
        assertThat(group.metric()).isEqualTo("acc");
        assertThat(group.n()).isEqualTo(114);
        assertThat(group.value())
                .isCloseTo(
                        Aggregation.mean("acc", acc, NumberKind.PYTHON).value(),
                        org.assertj.core.data.Offset.offset(1e-12));
        // The four choices of an MMLU question share their context tokens (one encoding per document).
        ScoringRequest request = model.batches.get(0).get(0);
        assertThat(request.contextTokens()[0]).isEqualTo(WordTokenizer.BOS);
        assertThat(request.continuationTokens()).hasSize(1);
    }

    @Test
    void aMissingDatasetFailsTheTaskWithWhereItLooked() {
        var context = new InMemoryTaskContext(
                "mmlu_anatomy", "{}", new ScriptedModel(false, 2048), new InMemoryTaskContext.Store());

        assertThatThrownBy(() -> runner("mmlu_anatomy").run(context))
                .hasMessageContaining("cais/mmlu (anatomy, test)")
                .hasMessageContaining("offline");
    }
}
