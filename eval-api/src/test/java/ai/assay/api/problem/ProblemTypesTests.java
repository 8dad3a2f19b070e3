package ai.assay.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.api.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @Test
    void theErrorPathIsNotAnEndpoint() {
        for (String method : new String[] {"GET", "POST"}) {
            Response response = api.request(method, "/error", null);

            assertThat(response.status()).as(response.body()).isEqualTo(404);
            assertThat(response.isProblem()).as(response.contentType()).isTrue();
            assertThat(response.json().get("type").stringValue()).isEqualTo("/problems/not-found");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/evaluations?model=%00",
                "/evaluations?label=run:%00",
                "/evaluations?state=queued&model=a%00b",
                "/leaderboard?task=%00",
                "/leaderboard?label=run:%00",
                "/leaderboard?annotator=%00&format=csv",
                "/comparisons?a=%00&b=m",
                "/ui/leaderboard?task=%00",
                "/ui/comparisons?a=m&b=%00",
                "/tasks?%00=x"
            })
    void aNulInAQueryParameterIsAnInvalidParameter(String path) {
        Response response = api.get(path);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.isProblem()).as(response.contentType()).isTrue();
        assertThat(response.json().get("type").stringValue()).isEqualTo("/problems/invalid-parameter");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /evaluations/%00 HTTP/1.1",
                "GET /evaluations/a%2Fb HTTP/1.1",
                "GET /evaluations/%zz HTTP/1.1",
                "GET /evaluations/a|b HTTP/1.1",
                "GET /evaluations/a\"b HTTP/1.1"
            })
    void tomcatsOwnRefusalsAreProblemsToo(String requestLine) {
        RawHttp.Answer answer =
                RawHttp.exchange(port(), requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.isProblem())
                .as(answer.contentType() + ": " + answer.body())
                .isTrue();
        assertThat(answer.json().get("type").stringValue()).isEqualTo("/problems/malformed-request");
    }
}
