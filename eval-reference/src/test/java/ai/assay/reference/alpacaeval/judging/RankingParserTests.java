package ai.assay.reference.alpacaeval.judging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class RankingParserTests {

    private final RankingParser parser = new RankingParser();

    @Test
    void theRankOfTheFirstShownModelIsThePreference() {
        assertThat(parser.parse("[{'model': 'model_1', 'rank': 1}, {'model': 'model_2', 'rank': 2}]"))
                .containsExactly(1.0);
        assertThat(parser.parse("[{'model': 'model_2', 'rank': 1}, {'model': 'model_1', 'rank': 2}]"))
                .containsExactly(2.0);
        assertThat(parser.parse("  [{\"model\": \"model_1\", \"rank\": 2.0},\n {\"model\": \"model_2\", \"rank\": 1}]"))
                .containsExactly(2.0);
        assertThat(parser.parse("({'model': 'model_1', 'rank': True},)")).containsExactly(1.0);
    }

    @Test
    void anythingElseHasNoPreference() {
        assertThat(parser.parse("[{'model': 'model_1', 'rank': 3}, {'model': 'model_2', 'rank': 1}]"))
                .containsExactly((Double) null);
        assertThat(parser.parse("[{'model': 'model_2', 'rank': 1}]")).containsExactly((Double) null);
        assertThat(parser.parse("[{'model': 'model_1', 'rank': '1'}]")).containsExactly((Double) null);
        assertThat(parser.parse("[{'model': 'model_1'}]")).containsExactly((Double) null);
        assertThat(parser.parse("[{'model': 'model_1', 'rank': 1}, 'stray']")).containsExactly((Double) null);
        assertThat(parser.parse("Model 1 is better.")).containsExactly((Double) null);
        assertThat(parser.parse("{'model': 'model_1', 'rank': 1}")).containsExactly((Double) null);
        assertThat(parser.parse("'model_1'")).containsExactly((Double) null);
        assertThatThrownBy(() -> parser.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void structuredAnswersAndOtherModelNamesAreSupported() {
        RankingParser functionCalling = new RankingParser("m");
        JsonMapper mapper = JsonMapper.builder().build();
        assertThat(functionCalling.parse(
                        mapper.readTree("[{\"model\": \"M\", \"rank\": 1}, {\"model\": \"m\", " + "\"rank\": 2}]")))
                .containsExactly(2.0);
        assertThat(functionCalling.parse(mapper.readTree("\"[{'model': 'm', 'rank': 1}]\"")))
                .containsExactly(1.0);
    }
}
