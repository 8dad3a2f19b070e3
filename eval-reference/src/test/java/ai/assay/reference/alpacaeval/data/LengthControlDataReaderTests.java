package ai.assay.reference.alpacaeval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LengthControlDataReaderTests {

    @TempDir
    Path directory;

    @Test
    void readsBothFixtureFiles() {
        LengthControlData data = new LengthControlDataReader().load(AlpacaEvalFixtures.lengthControlDirectory());

        GamedBaselineRows gamed = data.gamedBaseline();
        assertThat(gamed.size()).isEqualTo(1610);
        // first data row: gpt4_1106_preview_verbose,0.597436109905862,0,-1.0693489112580563,-1.256531261181291,False
        assertThat(gamed.preference()[0]).isEqualTo(0.597436109905862);
        assertThat(gamed.index()[0]).isZero();
        assertThat(gamed.stdDeltaLength()[0]).isEqualTo(-1.0693489112580563);
        assertThat(gamed.instructionDifficulty()[0]).isEqualTo(-1.256531261181291);
        assertThat(gamed.notGamedBaseline()).doesNotContain(true);
        assertThat(gamed.index()[805]).isZero(); // the concise variant starts over

        InstructionDifficulty difficulty = data.instructionDifficulty();
        assertThat(difficulty.size()).isEqualTo(805);
        assertThat(difficulty.of(1)).isEqualTo(-1.2743335064640526);
        // the fixture's two files agree on every instruction
        assertThat(gamed.difficultiesByPosition(805)).containsExactly(difficulty.values());
    }

    @Test
    void difficultyByPositionUsesTheRowsThatFirstMentionAnInstruction() {
        GamedBaselineRows rows = new GamedBaselineRows(
                new double[] {0.5, 0.5, 0.5, 0.5},
                new int[] {1, 0, 1, 2},
                new double[4],
                new double[] {10, 20, 30, 40},
                new boolean[4]);

        // labels 0, 1 and 3 survive drop_duplicates("index"); position 2 has no label
        assertThat(rows.difficultiesByPosition(2)).containsExactly(10, 20);
        assertThatThrownBy(() -> rows.difficultiesByPosition(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 2");
        assertThatThrownBy(() -> rows.difficultiesByPosition(5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesMissingValuesAndBooleansAsPandasDoes() throws IOException {
        Files.writeString(directory.resolve("df_gamed.csv"), """
                model,preference,index,std_delta_len,instruction_difficulty,not_gamed_baseline
                a,,0,0.5,1.25,False
                a,NaN,1,-0.5,2.5,True
                "quoted, model",0.25,2,1.0,-3.0,False
                """);
        Files.writeString(directory.resolve("instruction_difficulty.csv"), """
                index,instruction_difficulty
                0,1.25
                1,2.5
                2,-3.0
                """);

        LengthControlData data = new LengthControlDataReader().load(directory);

        GamedBaselineRows gamed = data.gamedBaseline();
        assertThat(gamed.preference()[0]).isNaN();
        assertThat(gamed.preference()[1]).isNaN();
        assertThat(gamed.preference()[2]).isEqualTo(0.25);
        assertThat(gamed.notGamedBaseline()).containsExactly(false, true, false);
        assertThat(data.instructionDifficulty().values()).containsExactly(1.25, 2.5, -3.0);
    }

    @Test
    void rejectsFilesWithoutTheExpectedShape() throws IOException {
        Path gamed = directory.resolve("df_gamed.csv");
        Files.writeString(gamed, "model,preference,index\na,0.5,0\n");
        assertThatThrownBy(() -> new LengthControlDataReader().readGamedBaseline(gamed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("std_delta_len");

        Path difficulty = directory.resolve("instruction_difficulty.csv");
        Files.writeString(difficulty, "index,instruction_difficulty\n0,1.0\n2,0.5\n");
        assertThatThrownBy(() -> new LengthControlDataReader().readInstructionDifficulty(difficulty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected index 1");

        Files.writeString(difficulty, "index,instruction_difficulty\n0,abc\n");
        assertThatThrownBy(() -> new LengthControlDataReader().readInstructionDifficulty(difficulty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("abc");
    }

    @Test
    void aMissingFileIsReported() {
        assertThatThrownBy(() -> new LengthControlDataReader().load(directory)).hasMessageContaining("df_gamed.csv");
        assertThat(Arrays.asList(
                        LengthControlDataReader.GAMED_BASELINE_FILE,
                        LengthControlDataReader.INSTRUCTION_DIFFICULTY_FILE))
                .containsExactly("df_gamed.csv", "instruction_difficulty.csv");
    }
}
