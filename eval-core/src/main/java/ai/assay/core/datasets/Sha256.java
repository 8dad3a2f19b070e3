package ai.assay.core.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 checksums of files, in lower-case hex. */
final class Sha256 {

    private Sha256() {}

    static String of(Path file) {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** One checksum for several files: that of their checksums joined by newlines (one file: its own). */
    static String combined(List<String> checksums) {
        if (checksums.size() == 1) {
            return checksums.get(0);
        }
        return HexFormat.of()
                .formatHex(newDigest().digest(String.join("\n", checksums).getBytes(StandardCharsets.UTF_8)));
    }

    static boolean isSha256(String text) {
        return text != null && text.matches("[0-9a-f]{64}");
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
