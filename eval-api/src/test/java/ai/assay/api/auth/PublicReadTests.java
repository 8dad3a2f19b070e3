package ai.assay.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient;
import ai.assay.api.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With public read, every GET is open and nothing else is. */
@TestPropertySource(properties = "assay.api.auth.public-read=true")
class PublicReadTests extends ApiIntegrationTest {

    @Test
    void everyReadIsOpenWithoutAToken() {
        ApiClient anonymous = api.anonymous();
        String id = api.postJson("/evaluations", smokeEvaluation("m"))
                .json()
                .get("id")
                .stringValue();

        assertThat(anonymous.get("/evaluations").status()).isEqualTo(200);
        assertThat(anonymous.get("/evaluations/" + id).status()).isEqualTo(200);
        assertThat(anonymous.get("/leaderboard").status()).isEqualTo(200);
        assertThat(anonymous.get("/ui/leaderboard", "text/html").status()).isEqualTo(200);
    }

    @Test
    void mutationsAndAdministrationStillNeedTheirScopes() {
        ApiClient anonymous = api.anonymous();

        assertThat(anonymous.postJson("/evaluations", smokeEvaluation("m")).status())
                .isEqualTo(401);
        assertThat(anonymous.get("/admin/tokens").status()).isEqualTo(401);
        assertThat(anonymous.get("/admin/audit").status()).isEqualTo(401);
        assertThat(api.withToken(new Tokens(api).make("reader", "read"))
                        .postJson("/evaluations", smokeEvaluation("m"))
                        .status())
                .isEqualTo(403);
    }
}
