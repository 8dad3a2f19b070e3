package ai.assay.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The options a generation task adds: stop strings, and responses made elsewhere in either record shape. */
class GenerationOptionsTests {

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final List<Violation> violations = new ArrayList<>();
    private final GenerationResponsesOption responses = new GenerationResponsesOption("outputs", "responses");
    private final StringListOption stop = new StringListOption("stop", "stop strings", List.of("Q:", "\n\n"), 4, 10);

    private JsonNode validate(OptionSpec option, String json) {
        return option.validate(mapper.readTree(json), "/tasks/0/outputs", violations);
    }

    @Test
    void bothRecordShapesAreAccepted() {
        String own =
                "[{\"doc_id\": 0, \"response\": \" The answer is 3.\"}, {\"doc_id\": 1, \"responses\": [\"a\", \"b\"]}]";
        String lmEval = "[{\"doc_id\": 4, \"doc\": {\"question\": \"?\"}, \"target\": \"3\", \"resps\": [[\"x\"]],"
                + " \"filtered_resps\": [\"3\"], \"filter\": \"strict-match\", \"metrics\": [\"exact_match\"]}]";

        assertThat(validate(responses, own)).isNotNull();
        assertThat(validate(responses, lmEval)).isNotNull();
        assertThat(violations).isEmpty();
    }

    @Test
    void aRecordWithoutADocumentOrAnAnswerIsRefusedAtItsPointer() {
        assertThat(validate(
                        responses,
                        "[{\"response\": \"x\"}, {\"doc_id\": -1, \"response\": \"x\"}, {\"doc_id\": 2},"
                                + " {\"doc_id\": 3, \"response\": \"x\", \"resps\": [[\"x\"]]},"
                                + " {\"doc_id\": 4, \"respnse\": \"x\", \"response\": \"y\"},"
                                + " {\"doc_id\": 5, \"resps\": [\"not nested\"]}]"))
                .isNull();

        assertThat(violations)
                .extracting(Violation::pointer, Violation::kind)
                .containsExactly(
                        tuple("/tasks/0/outputs/0/doc_id", ViolationKind.MISSING_FIELD),
                        tuple("/tasks/0/outputs/1/doc_id", ViolationKind.INVALID_TYPE),
                        tuple("/tasks/0/outputs/2", ViolationKind.MISSING_FIELD),
                        tuple("/tasks/0/outputs/3", ViolationKind.INVALID_VALUE),
                        tuple("/tasks/0/outputs/4/respnse", ViolationKind.UNKNOWN_FIELD),
                        tuple("/tasks/0/outputs/5/resps", ViolationKind.INVALID_TYPE));
    }

    @Test
    void aUriIsCheckedForItsFormOnlyAndNamesLocation() {
        assertThat(validate(responses, "\"file:///models/run-7/samples_gsm8k.jsonl\""))
                .isNotNull();
        assertThat(validate(responses, "\"samples_gsm8k.jsonl\"")).isNull();

        assertThat(violations)
                .singleElement()
                .satisfies(v -> assertThat(v.detail()).contains("relative name").contains("a file of responses"));
        assertThat(responses.namesLocation()).isTrue();
        assertThat(stop.namesLocation()).isFalse();
    }

    @Test
    void stopStringsAreANonEmptyBoundedListAndAnEmptyListIsAValue() {
        assertThat(stop.defaultValue()).hasToString("[\"Q:\",\"\\n\\n\"]");
        assertThat(validate(stop, "[]")).isNotNull();
        assertThat(validate(stop, "[\"\", \"x\"]")).isNull();
        assertThat(validate(stop, "[\"a\", \"b\", \"c\", \"d\", \"e\"]")).isNull();
        assertThat(validate(stop, "\"Q:\"")).isNull();

        assertThat(violations)
                .extracting(Violation::kind)
                .containsExactly(ViolationKind.OUT_OF_RANGE, ViolationKind.OUT_OF_RANGE, ViolationKind.INVALID_TYPE);
    }
}
