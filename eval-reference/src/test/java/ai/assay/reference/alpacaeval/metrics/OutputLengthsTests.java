package ai.assay.reference.alpacaeval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputLengthsTests {

    @Test
    void lengthsAreCodePointsNotUtf16Units() {
        String withEmoji = "ok \uD83D\uDC4D"; // "ok " + thumbs up, outside the BMP
        assertThat(withEmoji.length()).isEqualTo(5);
        assertThat(OutputLengths.length(withEmoji)).isEqualTo(4);
        assertThat(OutputLengths.length("好")).isEqualTo(1);
    }

    @Test
    void averageLengthIsTruncatedLikePythonsInt() {
        assertThat(OutputLengths.averageLength(List.of("ab", "abc"))).isEqualTo(2);
        assertThat(OutputLengths.averageLength(List.of("abcd", "abc", "abc"))).isEqualTo(3);
        assertThatThrownBy(() -> OutputLengths.averageLength(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
