package ai.assay.api.alpacaeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class AlpacaEvalImportTests extends ApiIntegrationTest {

    @DynamicPropertySource
    static void alpacaEvalData(DynamicPropertyRegistry registry) {
        registry.add(
                "assay.alpaca-eval.data-dir",
                () -> AlpacaEvalFixtures.dataDirectory().toString());
        registry.add("assay.datasets.offline", () -> "true");
        registry.add("assay.lmeval.offline", () -> "true");
    }

    @BeforeEach
    void emptyTables() {
        jdbc.sql("TRUNCATE evaluation CASCADE").update();
    }

    private static String body(String model, JsonNode annotations) {
        ObjectNode body = AlpacaEvalFixtures.MAPPER
                .createObjectNode()
                .put("model", model)
                .put("annotator", "weighted_alpaca_eval_gpt4_turbo");
        body.putObject("labels").put("source", "alpaca_eval");
        body.set("annotations", annotations);
        return body.toString();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "FuseChat-Gemma-2-9B-Instruct",
                "claude-2",
                "gpt-3.5-turbo-1106",
                "alpaca-7b",
                "gpt4_gamed",
                "NullModel",
                "text_davinci_001"
            })
    void anImportGivesTheMetricsAlpacaEvalComputes(String model) {
        Response response =
                api.postJson("/imports/alpaca-eval", body(model, AlpacaEvalFixtures.annotationsJson(model)));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode evaluation = response.json();
        assertThat(response.location())
                .isEqualTo("/evaluations/" + evaluation.get("id").stringValue());
        assertThat(evaluation.get("state").stringValue()).isEqualTo("succeeded");
        assertThat(evaluation.get("labels").get("source").stringValue()).isEqualTo("alpaca_eval");
        JsonNode task = evaluation.get("tasks").get(0);
        assertThat(task.get("name").stringValue()).isEqualTo("alpaca_eval");
        assertThat(task.get("state").stringValue()).isEqualTo("succeeded");
        Map<String, JsonNode> metrics = new HashMap<>();
        task.get("metrics").forEach(metric -> metrics.put(metric.get("metric").stringValue(), metric));

        JsonNode expected = AlpacaEvalFixtures.computedFor(model);
        assertThat(metrics.get("win_rate").get("value").doubleValue())
                .isCloseTo(expected.get("win_rate").doubleValue(), within(1e-9));
        assertThat(metrics.get("win_rate").get("stderr").doubleValue())
                .isCloseTo(expected.get("standard_error").doubleValue(), within(1e-9));
        assertThat(metrics.get("discrete_win_rate").get("value").doubleValue())
                .isCloseTo(expected.get("discrete_win_rate").doubleValue(), within(1e-9));
        for (String count : new String[] {"n_wins", "n_wins_base", "n_draws", "n_total", "avg_length"}) {
            assertThat(metrics.get(count).get("value").doubleValue())
                    .as(count)
                    .isEqualTo(expected.get(count).doubleValue());
        }
        assertThat(metrics.get("length_controlled_winrate").get("value").doubleValue())
                .isCloseTo(expected.get("length_controlled_winrate").doubleValue(), within(0.2));
        assertThat(metrics.get("length_controlled_winrate").get("stderr").doubleValue())
                .isCloseTo(expected.get("lc_standard_error").doubleValue(), within(0.01));
        assertThat(task.get("result").get("lengthControlModel").has("thetaLength"))
                .isTrue();
    }

    @Test
    void recordsWithoutAPreferenceAreCountedAsMissing() {
        JsonNode annotations = AlpacaEvalFixtures.annotationsJson("claude-2");
        ((ObjectNode) annotations.get(3)).putNull("preference");
        ((ObjectNode) annotations.get(11)).putNull("preference");

        Response response = api.postJson("/imports/alpaca-eval", body("claude-2", annotations));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        Map<String, JsonNode> metrics = new HashMap<>();
        response.json()
                .get("tasks")
                .get(0)
                .get("metrics")
                .forEach(m -> metrics.put(m.get("metric").stringValue(), m));
        assertThat(metrics.get("n_missing").get("value").doubleValue()).isEqualTo(2);
        assertThat(metrics.get("n_missing").get("n").intValue()).isEqualTo(annotations.size());
        assertThat(metrics.get("n_total").get("value").doubleValue()).isEqualTo(annotations.size() - 2);
    }

    @Test
    void anImportCannotTakeThePlaceOfAModelsResults() {
        JsonNode annotations = AlpacaEvalFixtures.annotationsJson("claude-2");
        String first = api.postJson("/imports/alpaca-eval", body("claude-2", annotations))
                .json()
                .get("id")
                .stringValue();
        ArrayNode five = AlpacaEvalFixtures.MAPPER.createArrayNode();
        for (int i = 0; i < 5; i++) {
            five.add(annotations.get(i));
        }
        var before = rowCounts();

        Response response = api.postJson("/imports/alpaca-eval", body("claude-2", five));

        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.json().get("type").stringValue()).isEqualTo("/problems/model-has-results");
        assertThat(response.json().get("evaluationId").stringValue()).isEqualTo(first);
        assertThat(rowCounts()).isEqualTo(before);
        assertThat(api.get("/leaderboard").body()).contains(first);
    }

    @Test
    void replacingAModelsResultsNeedsReplaceTrueAndTheAdminScope() {
        JsonNode annotations = AlpacaEvalFixtures.annotationsJson("alpaca-7b");
        api.postJson("/imports/alpaca-eval", body("alpaca-7b", annotations));
        String submitToken = api.postJson("/admin/tokens", "{\"name\": \"importer\", \"scopes\": [\"submit\"]}")
                .json()
                .get("token")
                .stringValue();
        String replacing = body("alpaca-7b", annotations).replaceFirst("\\{", "{\"replace\": true, ");

        Response refused = api.withToken(submitToken).postJson("/imports/alpaca-eval", replacing);
        Response replaced = api.postJson("/imports/alpaca-eval", replacing);

        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().get("requiredScope").stringValue()).isEqualTo("admin");
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(201);
        assertThat(api.get("/leaderboard").body())
                .contains(replaced.json().get("id").stringValue());
    }

    @Test
    void theBaselineAgainstItselfScoresFifty() {
        Response response = api.postJson(
                "/imports/alpaca-eval",
                body("gpt4_1106_preview", AlpacaEvalFixtures.annotationsJson("gpt4_1106_preview")));

        JsonNode lc = null;
        for (JsonNode metric : response.json().get("tasks").get(0).get("metrics")) {
            if (metric.get("metric").stringValue().equals("length_controlled_winrate")) {
                lc = metric;
            }
        }
        assertThat(lc.get("value").doubleValue()).isEqualTo(50.0);
        assertThat(lc.get("stderr").doubleValue()).isZero();
    }

    @Test
    void theImportIsExportedAsAlpacaEvalFiles() {
        JsonNode annotations = AlpacaEvalFixtures.annotationsJson("alpaca-7b");
        String id = api.postJson("/imports/alpaca-eval", body("alpaca-7b", annotations))
                .json()
                .get("id")
                .stringValue();

        JsonNode outputs =
                api.get("/evaluations/" + id + "/tasks/alpaca_eval/outputs").json();
        JsonNode exported =
                api.get("/evaluations/" + id + "/tasks/alpaca_eval/annotations").json();

        assertThat(outputs).hasSize(805);
        assertThat(outputs.get(7).get("instruction").stringValue())
                .isEqualTo(annotations.get(7).get("instruction").stringValue());
        assertThat(outputs.get(7).get("output").stringValue())
                .isEqualTo(annotations.get(7).get("output_2").stringValue());
        assertThat(outputs.get(7).get("generator").stringValue()).isEqualTo("alpaca-7b");
        assertThat(outputs.get(7).get("dataset").stringValue())
                .isEqualTo(annotations.get(7).get("dataset").stringValue());
        assertThat(exported).hasSize(805);
        for (int i : new int[] {0, 100, 804}) {
            JsonNode record = exported.get(i);
            assertThat(record.get("instruction")).isEqualTo(annotations.get(i).get("instruction"));
            assertThat(record.get("output_1")).isEqualTo(annotations.get(i).get("output_1"));
            assertThat(record.get("output_2")).isEqualTo(annotations.get(i).get("output_2"));
            assertThat(record.get("preference").doubleValue())
                    .isEqualTo(annotations.get(i).get("preference").doubleValue());
            assertThat(record.get("annotator").stringValue()).isEqualTo("weighted_alpaca_eval_gpt4_turbo");
        }
    }

    @Test
    void aBadRecordIsNamedAndNothingIsStored() {
        ArrayNode annotations = (ArrayNode) AlpacaEvalFixtures.annotationsJson("claude-2");
        ((ObjectNode) annotations.get(3)).put("preference", 7);
        ((ObjectNode) annotations.get(5)).put("instruction", "Write a poem about a database.");
        ((ObjectNode) annotations.get(9)).remove("output_2");
        ((ObjectNode) annotations.get(11))
                .put("instruction", annotations.get(10).get("instruction").stringValue());

        Response response = api.postJson("/imports/alpaca-eval", body("claude-2", annotations));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors"))
                .extracting(e -> e.get("pointer").stringValue())
                .containsExactly(
                        "/annotations/3/preference",
                        "/annotations/5/instruction",
                        "/annotations/9/output_2",
                        "/annotations/11/instruction");
        assertThat(rowCounts()).containsEntry("evaluation", 0L).containsEntry("judgment", 0L);
    }

    @Test
    void anImportNeedsAModelAnAnnotatorAndRecords() {
        Response response = api.postJson("/imports/alpaca-eval", "{\"annotations\": [], \"extra\": 1}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors"))
                .extracting(e -> e.get("pointer").stringValue())
                .containsExactlyInAnyOrder("/extra", "/model", "/annotator", "/annotations");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.999, 1e-9, -0.5, 2.0001, 3})
    void aPreferenceOutsideAlpacaEvalsEncodingIsRefused(double preference) {
        ArrayNode annotations = (ArrayNode) AlpacaEvalFixtures.annotationsJson("claude-2");
        ((ObjectNode) annotations.get(2)).put("preference", preference);

        Response response = api.postJson("/imports/alpaca-eval", body("claude-2", annotations));

        assertProblem(response, 400, "out-of-range");
        assertThat(response.json().get("errors").get(0).get("pointer").stringValue())
                .isEqualTo("/annotations/2/preference");
        assertThat(rowCounts()).containsEntry("evaluation", 0L);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, 1.5, 2})
    void everyPreferenceOfAlpacaEvalsEncodingIsAccepted(double preference) {
        ArrayNode annotations = (ArrayNode) AlpacaEvalFixtures.annotationsJson("claude-2");
        ((ObjectNode) annotations.get(2)).put("preference", preference);

        Response response = api.postJson("/imports/alpaca-eval", body("claude-2", annotations));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void anImportWithoutAnyPreferenceIsRefused() {
        ArrayNode annotations = firstRecords("claude-2", 20);
        annotations.forEach(record -> ((ObjectNode) record).putNull("preference"));

        Response response = api.postJson("/imports/alpaca-eval", body("claude-2", annotations));

        assertProblem(response, 400, "invalid-value");
        assertThat(response.json().get("errors").get(0).get("pointer").stringValue())
                .isEqualTo("/annotations");
        assertThat(rowCounts()).containsEntry("evaluation", 0L);
        assertThat(api.get("/leaderboard").json().get("rows")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"price_per_example", "time_per_example"})
    void aCostOrTimeThatCannotBeStoredIsRefused(String field) {
        ArrayNode annotations = (ArrayNode) AlpacaEvalFixtures.annotationsJson("claude-2");
        ((ObjectNode) annotations.get(4)).put(field, 1e300);
        ((ObjectNode) annotations.get(6)).put(field, -1);

        Response response = api.postJson("/imports/alpaca-eval", body("claude-2", annotations));

        assertProblem(response, 400, "out-of-range");
        assertThat(response.json().get("errors"))
                .extracting(e -> e.get("pointer").stringValue())
                .containsExactly("/annotations/4/" + field, "/annotations/6/" + field);
        assertThat(rowCounts()).containsEntry("evaluation", 0L);
    }

    @Test
    void anImportOfOneRecordIsRefusedBecauseItsLengthControlIsUndefined() {
        ArrayNode one = AlpacaEvalFixtures.MAPPER.createArrayNode();
        one.add(AlpacaEvalFixtures.annotationsJson("claude-2").get(0));

        Response response = api.postJson("/imports/alpaca-eval", body("claude-2", one));

        assertProblem(response, 422, "length-control-undefined");
        assertThat(rowCounts()).containsEntry("evaluation", 0L).containsEntry("judgment", 0L);
    }

    @Test
    void anImportWhoseOutputsAllHaveTheBaselinesLengthIsRefused() {
        ArrayNode two = firstRecords("claude-2", 2);
        for (JsonNode record : two) {
            ((ObjectNode) record)
                    .put(
                            "output_2",
                            "y".repeat(record.get("output_1").stringValue().length()));
        }

        Response response = api.postJson("/imports/alpaca-eval", body("claude-2", two));

        assertProblem(response, 422, "length-control-undefined");
        assertThat(rowCounts()).containsEntry("evaluation", 0L).containsEntry("judgment", 0L);
    }

    @Test
    void anImportWithEqualNonZeroLengthDifferencesIsScoredAsAlpacaEvalDoes() {
        // pandas divides by a standard deviation of 0: +-inf, and tanh(+-inf) = +-1, a finite feature
        ArrayNode two = firstRecords("claude-2", 2);
        for (JsonNode record : two) {
            ((ObjectNode) record).put("output_2", record.get("output_1").stringValue() + "longer");
        }

        Response response = api.postJson("/imports/alpaca-eval", body("claude-2", two));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void anOutputHoldingTheNulCharacterIsRefusedAtItsPointer() {
        ArrayNode annotations = (ArrayNode) AlpacaEvalFixtures.annotationsJson("claude-2");
        ((ObjectNode) annotations.get(3)).put("output_2", "an answer\u0000with a NUL");

        Response response = api.postJson("/imports/alpaca-eval", body("claude-2", annotations));

        assertProblem(response, 400, "invalid-value");
        assertThat(response.json().get("errors").get(0).get("pointer").stringValue())
                .isEqualTo("/annotations/3/output_2");
        assertThat(rowCounts()).containsEntry("evaluation", 0L);
    }

    private static ArrayNode firstRecords(String model, int n) {
        ArrayNode all = (ArrayNode) AlpacaEvalFixtures.annotationsJson(model);
        ArrayNode first = AlpacaEvalFixtures.MAPPER.createArrayNode();
        for (int i = 0; i < n; i++) {
            first.add(all.get(i));
        }
        return first;
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.isProblem()).as(response.contentType()).isTrue();
        assertThat(response.json().get("type").stringValue()).isEqualTo("/problems/" + type);
        assertThat(response.json().get("detail").stringValue()).isNotBlank();
    }
}
