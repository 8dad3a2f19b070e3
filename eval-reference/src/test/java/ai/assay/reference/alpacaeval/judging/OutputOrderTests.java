package ai.assay.reference.alpacaeval.judging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import ai.assay.reference.python.PyRandom;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OutputOrderTests {

    @Test
    void everyEvalInstructionIsSwitchedAsUpstreamSwitchesIt() throws IOException {
        List<String> instructions = AlpacaEvalFixtures.annotations("gpt4_1106_preview").stream()
                .map(HeadToHeadAnnotation::instruction)
                .toList();
        List<String> table = Files.readAllLines(
                AlpacaEvalFixtures.resourcePath("alpacaeval/output_order_switch.csv"), StandardCharsets.UTF_8);
        assertThat(table.get(0)).isEqualTo("index,switched,first_mt19937_uint32");
        assertThat(table).hasSize(806);

        int switched = 0;
        for (String line : table.subList(1, table.size())) {
            String[] cells = line.split(",");
            int index = Integer.parseInt(cells[0]);
            boolean expected = Boolean.parseBoolean(cells[1]);
            assertThat(OutputOrder.isSwitched(instructions.get(index)))
                    .as("instruction %d", index)
                    .isEqualTo(expected);
            assertThat(Long.parseLong(cells[2]) >= (1L << 31)).isEqualTo(expected);
            switched += expected ? 1 : 0;
        }
        assertThat(switched)
                .isEqualTo(AlpacaEvalFixtures.expected()
                        .get("output_order_switch")
                        .get("n_switched")
                        .intValue());
    }

    @Test
    void matchesTheSeedVectorsIncludingNonAsciiInstructions() {
        JsonNode vectors = AlpacaEvalFixtures.expected().get("output_order_switch");
        int checked = 0;
        for (String group : List.of("examples", "examples_non_ascii")) {
            for (JsonNode example : vectors.get(group)) {
                String instruction = example.get("instruction").stringValue();
                String seed = example.get("seed_string").stringValue();
                assertThat("is_switched_outputs" + instruction + OutputOrder.DEFAULT_SEED)
                        .isEqualTo(seed);
                assertThat(seed.getBytes(StandardCharsets.UTF_8))
                        .hasSize(example.get("seed_utf8_bytes").intValue());
                assertThat(new PyRandom(seed).random())
                        .isEqualTo(example.get("first_random_float").doubleValue());
                assertThat(OutputOrder.isSwitched(instruction))
                        .isEqualTo(example.get("switched").booleanValue());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(25);
    }

    @Test
    void anotherSeedGivesAnotherOrder() {
        String instruction = "What are the names of some famous actors that started their careers on Broadway?";
        assertThat(OutputOrder.isSwitched(instruction, 0)).isTrue();
        long differing = java.util.stream.LongStream.range(1, 40)
                .filter(seed -> !OutputOrder.isSwitched(instruction, seed))
                .count();
        assertThat(differing).isPositive();
    }

    @Test
    void switchedPreferencesAreMappedBackWithThreeMinusX() {
        assertThat(OutputOrder.toOriginalOrder(1.25, true)).isEqualTo(1.75);
        assertThat(OutputOrder.toOriginalOrder(2.0, true)).isEqualTo(1.0);
        assertThat(OutputOrder.toOriginalOrder(1.25, false)).isEqualTo(1.25);
        assertThat(OutputOrder.toOriginalOrder(null, true)).isNull();
    }
}
