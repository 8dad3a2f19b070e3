package ai.assay.api.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Stores the bootstrap admin token at start-up, from {@code assay.api.auth.bootstrap-token} or the file
 * {@code bootstrap-token-file} names, so that a fresh installation has one token that can make the others. A
 * secret that is too short, or a file that cannot be read, stops the start-up: the API would otherwise run with a
 * weak or no admin token. Without either setting the API starts, and warns when no valid admin token exists.
 */
@Component
class BootstrapToken implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapToken.class);

    private final AuthProperties properties;
    private final ApiTokenRepository tokens;

    BootstrapToken(AuthProperties properties, ApiTokenRepository tokens) {
        this.properties = properties;
        this.tokens = tokens;
    }

    @Override
    public void run(ApplicationArguments args) {
        Optional<String> secret = configuredSecret();
        if (secret.isPresent()) {
            if (tokens.installBootstrap(TokenSecrets.sha256(secret.get()))) {
                log.info("Stored the bootstrap admin token (only its hash is kept)");
            }
        }
        if (!tokens.anyValidAdmin()) {
            log.warn(
                    "No valid admin token exists: nobody can create tokens. Set assay.api.auth.bootstrap-token"
                            + " (ASSAY_API_AUTH_BOOTSTRAP_TOKEN) or bootstrap-token-file to a random secret of at least {}"
                            + " characters and restart.",
                    AuthProperties.MIN_BOOTSTRAP_LENGTH);
        }
    }

    private Optional<String> configuredSecret() {
        String secret = properties.bootstrapToken();
        String source = "assay.api.auth.bootstrap-token";
        if ((secret == null || secret.isBlank()) && properties.bootstrapTokenFile() != null) {
            source = "the file named by assay.api.auth.bootstrap-token-file";
            try {
                secret = Files.readString(properties.bootstrapTokenFile(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read the bootstrap token file " + properties.bootstrapTokenFile(), e);
            }
        }
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        secret = secret.strip();
        if (secret.length() < AuthProperties.MIN_BOOTSTRAP_LENGTH) {
            throw new IllegalStateException("the bootstrap token from %s has %d characters; it must have at least %d"
                    .formatted(source, secret.length(), AuthProperties.MIN_BOOTSTRAP_LENGTH));
        }
        return Optional.of(secret);
    }
}
