package ai.assay.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProblemTypesTests extends ApiIntegrationTest {

    @Test
    void everyProblemTypeIsDescribedAtItsUri() {
        for (ProblemKind kind : ProblemKind.values()) {
            Response response = api.get(kind.type().toString());

            assertThat(response.status()).as(kind.slug()).isEqualTo(200);
            assertThat(response.json().get("status").intValue())
                    .isEqualTo(kind.status().value());
            assertThat(response.json().get("description").stringValue()).isNotBlank();
        }
        assertThat(api.get("/problems").json().get("problems")).hasSize(ProblemKind.values().length);
        assertThat(api.get("/problems/nope").status()).isEqualTo(404);
    }

    @Test
    void theApiDocsDescribeEveryProblemType() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "api.md"));

        for (ProblemKind kind : ProblemKind.values()) {
            assertThat(docs)
                    .as(kind.slug())
                    .contains("| `" + kind.type() + "` | " + kind.status().value() + " |");
        }
    }

    @Test
    void slugsAreUnique() {
        assertThat(Arrays.stream(ProblemKind.values()).map(ProblemKind::slug)).doesNotHaveDuplicates();
    }
}
