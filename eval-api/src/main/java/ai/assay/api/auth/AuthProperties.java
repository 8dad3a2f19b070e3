package ai.assay.api.auth;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of authentication, under {@code assay.api.auth}.
 *
 * @param bootstrapToken     the secret of the first admin token, stored hashed at start-up; at least 32
 *                           characters. Changing it revokes the previous bootstrap token
 * @param bootstrapTokenFile a file holding that secret (a mounted Kubernetes Secret), used when
 *                           {@code bootstrap-token} is not set; surrounding white space is ignored
 * @param publicRead         whether every GET endpoint and page is open without a token (a public leaderboard);
 *                           mutations and {@code /admin} still need their scopes
 */
@ConfigurationProperties("assay.api.auth")
public record AuthProperties(
        String bootstrapToken,
        Path bootstrapTokenFile,
        @DefaultValue("false") boolean publicRead) {

    /** The shortest bootstrap secret accepted: 32 characters of a random token carry far more than 128 bits. */
    static final int MIN_BOOTSTRAP_LENGTH = 32;
}
