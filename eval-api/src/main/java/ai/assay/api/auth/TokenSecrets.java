package ai.assay.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Token secrets: 256 random bits, written {@code assay_} followed by 43 base64url characters so that secret
 * scanners and people can tell them apart, and stored as their SHA-256 only. A fast hash is enough for a random
 * secret of this size (there is no dictionary to try); a slow one would cost every request.
 */
final class TokenSecrets {

    static final String PREFIX = "assay_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() {}

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
