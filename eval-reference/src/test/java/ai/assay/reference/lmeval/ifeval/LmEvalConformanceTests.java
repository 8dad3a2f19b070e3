package ai.assay.reference.lmeval.ifeval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Assay's IFEval scores against lm-eval's own checkers on 304 real responses (see
 * {@code lmeval/ifeval/README.md}: lm-eval at 4e7e0d47f under nltk 3.8 with untrained Punkt and langdetect seeded
 * with 0).
 */
class LmEvalConformanceTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyInstructionResultIsLmEvalsOnRealResponses() {
        IfEvalScoring scoring = IfEvalScoring.standard();
        List<String> mismatches = new ArrayList<>();
        int instructions = 0;
        List<JsonNode> cases = cases();
        for (JsonNode expected : cases) {
            long key = expected.get("key").longValue();
            IfEvalScore score =
                    scoring.score(IfEvalRows.json(key), expected.get("response").stringValue());
            instructions += score.instructionsStrict().size();
            if (!score.instructionsStrict().equals(booleans(expected.get("inst_level_strict_acc")))
                    || !score.instructionsLoose().equals(booleans(expected.get("inst_level_loose_acc")))) {
                mismatches.add("row %d: strict %s loose %s"
                        .formatted(key, score.instructionsStrict(), score.instructionsLoose()));
            }
        }
        assertThat(cases).hasSize(304);
        assertThat(instructions).isEqualTo(472);
        assertThat(mismatches).isEmpty();
    }

    private static List<Boolean> booleans(JsonNode array) {
        List<Boolean> values = new ArrayList<>();
        array.forEach(value -> values.add(value.booleanValue()));
        return values;
    }

    private static List<JsonNode> cases() {
        try (InputStream in = new GZIPInputStream(
                LmEvalConformanceTests.class.getResourceAsStream("/lmeval/ifeval/lm_eval_scores.jsonl.gz"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(JSON::readTree)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
