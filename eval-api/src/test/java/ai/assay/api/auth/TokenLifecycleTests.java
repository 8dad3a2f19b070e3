package ai.assay.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient;
import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TokenLifecycleTests extends ApiIntegrationTest {

    private Tokens tokens;

    @BeforeEach
    void makeTokens() {
        tokens = new Tokens(api);
    }

    @Test
    void aRevokedTokenFailsAtOnce() {
        Response made = tokens.madeToken("pipeline", "read");
        ApiClient pipeline = api.withToken(made.json().get("token").stringValue());
        assertThat(pipeline.get("/evaluations").status()).isEqualTo(200);

        Response revoked = api.request("DELETE", made.location(), null);

        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().get("revokedAt").isNull()).isFalse();
        Response refused = pipeline.get("/evaluations");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").stringValue()).contains("unknown or revoked");
        assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void aTokenIsShownOnceAndStoredOnlyAsItsHash() {
        Response made = tokens.madeToken("shown once", "read", "submit");
        String secret = made.json().get("token").stringValue();

        assertThat(secret).startsWith("assay_").hasSize(6 + 43);
        assertThat(made.json().get("scopes").toString()).isEqualTo("[\"read\",\"submit\"]");
        assertThat(made.header("Cache-Control")).isEqualTo("no-store");
        assertThat(api.get("/admin/tokens").body()).doesNotContain(secret).contains("shown once");
        assertThat(api.get(made.location()).body()).doesNotContain(secret);
        List<String> rows = jdbc.sql("SELECT row_to_json(t)::text FROM api_token t")
                .query(String.class)
                .list();
        assertThat(rows).noneMatch(row -> row.contains(secret) || row.contains(secret.substring(6)));
    }

    @Test
    void aTokenRecordsWhoMadeItAndWhenItWasLastUsed() {
        Response made = tokens.madeToken("used", "read");
        api.withToken(made.json().get("token").stringValue()).get("/tasks");

        JsonNode token = api.get(made.location()).json();

        JsonNode bootstrap = api.get("/admin/tokens")
                .json()
                .valueStream()
                .filter(t -> t.get("bootstrap").booleanValue())
                .findFirst()
                .orElseThrow();
        assertThat(token.get("createdBy").stringValue())
                .isEqualTo(bootstrap.get("id").stringValue());
        assertThat(token.get("lastUsedAt").isNull()).isFalse();
    }

    @Test
    void aSubmitTokenCancelsItsOwnEvaluationsButNotAnotherTokens() {
        ApiClient mine = api.withToken(tokens.make("mine", "read", "submit"));
        ApiClient theirs = api.withToken(tokens.make("theirs", "read", "submit"));
        Response own = mine.postJson("/evaluations", smokeEvaluation("own"));
        Response other = theirs.postJson("/evaluations", smokeEvaluation("other"));

        Response refused = mine.postEmpty(other.location() + "/cancel");
        Response cancelled = mine.postEmpty(own.location() + "/cancel");

        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().get("requiredScope").stringValue()).isEqualTo("admin");
        assertThat(api.get(other.location()).json().get("state").stringValue()).isEqualTo("queued");
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(api.postEmpty(other.location() + "/cancel").status()).isEqualTo(200);
    }

    @Test
    void anEvaluationRecordsTheTokenThatSubmittedIt() {
        Response made = tokens.madeToken("submitter", "submit");
        Response submitted =
                api.withToken(made.json().get("token").stringValue()).postJson("/evaluations", smokeEvaluation("m"));

        assertThat(submitted.json().get("submittedBy").stringValue())
                .isEqualTo(made.json().get("id").stringValue());
        assertThat(api.get(submitted.location()).json().get("submittedBy").stringValue())
                .isEqualTo(made.json().get("id").stringValue());
    }

    @Test
    void malformedCredentialsAreRefusedWith401() {
        ApiClient anonymous = api.anonymous();
        for (String header : List.of("Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token abc", "bearer wrong")) {
            Response response = anonymous.request("GET", "/evaluations", null, "Authorization", header);
            assertThat(response.status()).as(header).isEqualTo(401);
            assertThat(response.isProblem()).isTrue();
        }
        Response twice = anonymous.request(
                "GET", "/evaluations", null, "Authorization", "Bearer " + ADMIN_TOKEN, "Authorization", "Bearer x");
        assertThat(twice.status()).isEqualTo(401);
    }

    @Test
    void aTokenRequestWithoutANameOrWithAnUnknownScopeIsRefused() {
        Map<String, String> cases = Map.of(
                "{\"scopes\": [\"read\"]}", "/name",
                "{\"name\": \"x\", \"scopes\": [\"root\"]}", "/scopes/0",
                "{\"name\": \"x\", \"scopes\": []}", "/scopes",
                "{\"name\": \"x\", \"scopes\": [\"read\"], \"expires\": 1}", "/expires",
                "{\"name\": 5, \"scopes\": [\"read\"]}", "/name");
        long before = count();
        cases.forEach((body, pointer) -> {
            Response response = api.postJson("/admin/tokens", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("pointer").stringValue())
                    .as(body)
                    .isEqualTo(pointer);
        });
        assertThat(count()).isEqualTo(before);
    }

    private long count() {
        return jdbc.sql("SELECT count(*) FROM api_token").query(Long.class).single();
    }
}
