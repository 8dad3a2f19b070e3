package ai.assay.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.api.ApiIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** The bootstrap token as the start-up installs it; these tests replace the suite's own bootstrap token. */
class BootstrapTokenTests extends ApiIntegrationTest {

    @Autowired
    private ApiTokenRepository repository;

    @Test
    void theBootstrapTokenComesFromAFileAndANewSecretRevokesTheOld(@TempDir Path dir) throws Exception {
        String first = "assay_first-bootstrap-secret-from-a-mounted-file";
        String second = "assay_second-bootstrap-secret-after-rotation-0";
        Path file = dir.resolve("token");
        Files.writeString(file, first + "\n");
        new BootstrapToken(new AuthProperties(null, file, false), repository).run(null);
        assertThat(api.withToken(first).get("/admin/tokens").status()).isEqualTo(200);

        Files.writeString(file, second);
        new BootstrapToken(new AuthProperties(null, file, false), repository).run(null);

        assertThat(api.withToken(first).get("/admin/tokens").status()).isEqualTo(401);
        assertThat(api.withToken(second).get("/admin/tokens").status()).isEqualTo(200);
    }

    @Test
    void aShortBootstrapSecretStopsTheStartUp() {
        BootstrapToken weak = new BootstrapToken(new AuthProperties("too-short", null, false), repository);

        assertThatThrownBy(() -> weak.run(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least 32");
    }
}
