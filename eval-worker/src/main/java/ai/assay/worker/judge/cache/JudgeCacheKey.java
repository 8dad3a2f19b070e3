package ai.assay.worker.judge.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The judge-cache key, version {@value #VERSION}: SHA-256 (hex) over the version tag and four length-prefixed UTF-8
 * fields: the annotator's config hash (model, prompt template text, request fields), the instruction, the output shown
 * first and the output shown second. Generator names and the annotator's name are not part of it, so identical
 * outputs share judgments across evaluations and models, and a renamed config with the same content keeps its cache.
 */
public final class JudgeCacheKey {

    public static final int VERSION = 1;

    private JudgeCacheKey() {}

    public static String of(String configHash, String instruction, String shownFirst, String shownSecond) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
        digest.update(("assay-judge-cache/v" + VERSION).getBytes(StandardCharsets.UTF_8));
        for (String field : new String[] {configHash, instruction, shownFirst, shownSecond}) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            digest.update(
                    ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
            digest.update(bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
