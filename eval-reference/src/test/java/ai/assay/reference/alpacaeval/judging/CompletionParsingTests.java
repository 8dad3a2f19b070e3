package ai.assay.reference.alpacaeval.judging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionParsingTests {

    @Test
    void aFailingParserOrAWrongCountGivesEveryExampleNoPreference() {
        assertThat(CompletionParsing.orMissing(
                        () -> {
                            throw new IllegalArgumentException("bad");
                        },
                        2))
                .containsExactly(null, null);
        assertThat(CompletionParsing.orMissing(() -> List.of(1, 2, 1), 2)).containsExactly(null, null);
        assertThat(CompletionParsing.orMissing(() -> Arrays.asList(1, null, Double.NaN, 1.25), 4))
                .containsExactly(1.0, null, null, 1.25);
    }
}
