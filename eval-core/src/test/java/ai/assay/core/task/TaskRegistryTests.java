package ai.assay.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TaskRegistryTests {

    private static final TaskDefinition GENERATIVE = new TaskDefinition(
            "generative",
            "a test task",
            List.of(
                    new IntegerOption("limit", "how many", null, 1, 805),
                    new StringOption("annotator", "who judges", "judge_a", List.of("judge_a", "judge_b"), 100),
                    new BooleanOption("verbose", "talk more", false),
                    new ObjectOption(
                            "generation",
                            "decoding",
                            List.of(
                                    new NumberOption("temperature", "t", 0.7, 0, 2),
                                    new NumberOption("topP", "p", 0.95, 0, 1),
                                    new IntegerOption("seed", "seed", null, 0, Integer.MAX_VALUE)))));

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final TaskRegistry registry = new TaskRegistry(List.of(() -> List.of(GENERATIVE)));
    private final List<Violation> violations = new ArrayList<>();

    private Optional<ResolvedTask> resolve(String json) {
        return registry.resolve(mapper.readTree(json), "/tasks/0", violations);
    }

    @Test
    void fillsEveryDefaultIncludingNestedOnes() {
        ResolvedTask task = resolve("{\"name\":\"generative\",\"limit\":5}").orElseThrow();

        assertThat(violations).isEmpty();
        assertThat(task.options().toString()).isEqualTo(mapper.readTree("""
                {"limit":5,"annotator":"judge_a","verbose":false,"generation":{"temperature":0.7,"topP":0.95}}
                """).toString());
    }

    @Test
    void keepsGivenNestedValuesAndDefaultsTheRest() {
        ResolvedTask task = resolve("{\"name\":\"generative\",\"generation\":{\"seed\":3,\"topP\":0.5}}")
                .orElseThrow();

        JsonNode generation = task.options().get("generation");
        assertThat(generation.get("seed").intValue()).isEqualTo(3);
        assertThat(generation.get("topP").doubleValue()).isEqualTo(0.5);
        assertThat(generation.get("temperature").doubleValue()).isEqualTo(0.7);
    }

    @Test
    void reportsEveryBadOptionWithItsPointer() {
        Optional<ResolvedTask> task = resolve("""
                {"name":"generative","limit":806,"annotator":"judge_c","verbose":"yes","colour":"red",
                 "generation":{"temperature":-1,"topK":5}}
                """);

        assertThat(task).isEmpty();
        assertThat(violations)
                .extracting(Violation::kind, Violation::pointer)
                .containsExactlyInAnyOrder(
                        tuple(ViolationKind.OUT_OF_RANGE, "/tasks/0/limit"),
                        tuple(ViolationKind.INVALID_VALUE, "/tasks/0/annotator"),
                        tuple(ViolationKind.INVALID_TYPE, "/tasks/0/verbose"),
                        tuple(ViolationKind.UNKNOWN_OPTION, "/tasks/0/colour"),
                        tuple(ViolationKind.OUT_OF_RANGE, "/tasks/0/generation/temperature"),
                        tuple(ViolationKind.UNKNOWN_OPTION, "/tasks/0/generation/topK"));
    }

    @Test
    void rejectsFractionsAndNullsForWholeNumbers() {
        resolve("{\"name\":\"generative\",\"limit\":1.5}");
        resolve("{\"name\":\"generative\",\"limit\":null}");

        assertThat(violations)
                .extracting(Violation::kind)
                .containsExactly(ViolationKind.INVALID_TYPE, ViolationKind.INVALID_TYPE);
    }

    @Test
    void namesUnknownAndMissingTasks() {
        resolve("{\"name\":\"nope\"}");
        resolve("{\"limit\":3}");
        resolve("\"generative\"");

        assertThat(violations)
                .extracting(Violation::kind, Violation::pointer)
                .containsExactly(
                        tuple(ViolationKind.UNKNOWN_TASK, "/tasks/0/name"),
                        tuple(ViolationKind.MISSING_FIELD, "/tasks/0/name"),
                        tuple(ViolationKind.INVALID_TYPE, "/tasks/0"));
    }

    @Test
    void refusesATaskDefinedTwice() {
        assertThatThrownBy(() -> new TaskRegistry(List.of(() -> List.of(GENERATIVE), () -> List.of(GENERATIVE))))
                .hasMessageContaining("defined twice");
    }

    @Test
    void escapesPointerSegments() {
        resolve("{\"name\":\"generative\",\"a/b~c\":1}");

        assertThat(violations).extracting(Violation::pointer).containsExactly("/tasks/0/a~1b~0c");
    }
}
