package ai.assay.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The audit trail records who changed what, when and from where, refused attempts included. */
class AuditTrailTests extends ApiIntegrationTest {

    @Test
    void everyMutationIsRecordedWithItsTokenTargetStatusAndAddress() {
        Response made = new Tokens(api).madeToken("pipeline", "submit");
        String tokenId = made.json().get("id").stringValue();
        Response submitted =
                api.withToken(made.json().get("token").stringValue()).postJson("/evaluations", smokeEvaluation("m"));

        List<JsonNode> events = events("?token=" + tokenId);

        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.get("tokenName").stringValue()).isEqualTo("pipeline");
        assertThat(event.get("method").stringValue()).isEqualTo("POST");
        assertThat(event.get("path").stringValue()).isEqualTo("/evaluations");
        assertThat(event.get("status").intValue()).isEqualTo(202);
        assertThat(event.get("target").stringValue()).isEqualTo(submitted.location());
        assertThat(event.get("remoteAddress").stringValue()).isEqualTo("127.0.0.1");
        assertThat(event.get("at").isNull()).isFalse();
    }

    @Test
    void refusedAttemptsAreRecordedAndReadsAreNot() {
        api.anonymous().postJson("/evaluations", smokeEvaluation("anonymous"));
        api.get("/evaluations");

        JsonNode latest = events("").get(0);

        assertThat(latest.get("tokenId").isNull()).isTrue();
        assertThat(latest.get("status").intValue()).isEqualTo(401);
        assertThat(latest.get("path").stringValue()).isEqualTo("/evaluations");
        assertThat(events("")).noneMatch(e -> e.get("method").stringValue().equals("GET"));
    }

    @Test
    void theTrailIsNewestFirstAndNeverHoldsABody() {
        api.postJson("/evaluations", smokeEvaluation("first-model"));
        api.postJson("/admin/tokens", "{\"name\": \"second\", \"scopes\": [\"read\"]}");

        List<JsonNode> events = events("");

        assertThat(events.get(0).get("path").stringValue()).isEqualTo("/admin/tokens");
        assertThat(events.get(1).get("path").stringValue()).isEqualTo("/evaluations");
        assertThat(api.get("/admin/audit").body()).doesNotContain("first-model").doesNotContain("assay_");
    }

    private List<JsonNode> events(String query) {
        Response response = api.get("/admin/audit" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("events").valueStream().toList();
    }
}
