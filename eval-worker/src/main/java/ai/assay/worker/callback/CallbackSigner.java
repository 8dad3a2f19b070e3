package ai.assay.worker.callback;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs callback bodies: {@code X-Assay-Signature: sha256=<hex of HMAC-SHA256(secret, body bytes)>}. A receiver
 * recomputes it over the raw body it received and compares in constant time.
 */
final class CallbackSigner {

    static final String HEADER = "X-Assay-Signature";

    private final byte[] secret;

    CallbackSigner(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JRE", e);
        }
    }
}
