package ai.assay.reference.lmeval.filters;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every response of {@code lmeval/expected/filter_scores.jsonl} (its README says how lm-eval's own code made them)
 * cut, filtered and scored here as upstream did: the same cut text, the same filtered response under every filter
 * and the same value under every {@code "<metric>,<filter>"}; where upstream's filter raised, the step throws with that
 * error named.
 */
@RequiresSharedFixtures
class UpstreamFilterScoresTests {

    private static final JsonMapper JSON = new JsonMapper();

    @Test
    @SuppressWarnings("unchecked")
    void everyResponseIsFilteredAndScoredAsThePinnedLmEvalDoes() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/lmeval/expected/filter_scores.jsonl")) {
            assertThat(in).as("filter_scores.jsonl on the test classpath").isNotNull();
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
        }
        Map<String, GenerateUntilScoring> scorings = new HashMap<>();
        List<String> differences = new ArrayList<>();
        for (String line : lines) {
            Map<String, Object> expected = JSON.readValue(line, Map.class);
            String task = (String) expected.get("task");
            GenerateUntilScoring scoring = scorings.computeIfAbsent(
                    task,
                    file -> GenerateUntilScoring.fromYaml(
                            FixtureTaskFiles.filterList(file),
                            FixtureTaskFiles.metricList(file),
                            BbhZeroshotFilters.KNOWN));
            Map<String, Object> doc = expected.containsKey("doc")
                    ? (Map<String, Object>) expected.get("doc")
                    : FixtureTaskFiles.rows((String) expected.get("split")).get((Integer) expected.get("row"));
            Object gold = expected.containsKey("gold_column")
                    ? doc.get((String) expected.get("gold_column"))
                    : expected.get("gold");
            List<String> generations = (List<String>) expected.get("generations");
            List<String> until = (List<String>) expected.get("until");
            List<String> responses = generations.stream()
                    .map(generation -> GeneratedText.postprocess(generation, until, null))
                    .toList();
            Object expectedResponses = expected.getOrDefault("responses", generations);

            if (expected.containsKey("error")) {
                String upstream = "(upstream: " + expected.get("error") + ")";
                try {
                    GenerationDocScore score = scoring.score(doc, gold, responses);
                    differences.add("%s %s: scored %s, upstream raised %s"
                            .formatted(task, generations, score.byResultKey(), expected.get("error")));
                } catch (IllegalArgumentException e) {
                    if (!e.getMessage().contains(upstream)) {
                        differences.add("%s %s: %s, upstream raised %s"
                                .formatted(task, generations, e.getMessage(), expected.get("error")));
                    }
                }
                continue;
            }
            GenerationDocScore score = scoring.score(doc, gold, responses);

            Map<String, Object> filtered = new HashMap<>();
            score.filters().forEach(f -> filtered.put(f.filter(), f.filteredResponse()));
            if (!responses.equals(expectedResponses)
                    || !filtered.equals(expected.get("filtered"))
                    || !score.byResultKey().equals(expected.get("metrics"))) {
                differences.add("%s row %s %s: got %s %s %s, upstream %s %s %s"
                        .formatted(
                                task,
                                expected.get("row"),
                                generations.size() == 1 ? generations.get(0) : generations.size() + " generations",
                                responses.size() == 1 ? responses.get(0) : "",
                                filtered,
                                score.byResultKey(),
                                expectedResponses instanceof List<?> r && r.size() == 1 ? r.get(0) : "",
                                expected.get("filtered"),
                                expected.get("metrics")));
            }
        }

        assertThat(lines).hasSizeGreaterThan(2000);
        assertThat(differences).as("responses scored otherwise than upstream").isEmpty();
    }
}
