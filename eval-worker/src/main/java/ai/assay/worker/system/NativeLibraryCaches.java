package ai.assay.worker.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the native libraries of ONNX Runtime (JavaCPP) and of the tokenizers (DJL) unpack. Both default to the home
 * directory, which the images' user does not have and a read-only root filesystem would refuse; when it is not
 * writable they unpack under {@code java.io.tmpdir} instead (a volume in the Helm chart). Setting
 * {@code -Dorg.bytedeco.javacpp.cachedir} or {@code DJL_CACHE_DIR} chooses for either.
 */
public final class NativeLibraryCaches {

    static final String JAVACPP_CACHE_DIR = "org.bytedeco.javacpp.cachedir";
    static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";

    private NativeLibraryCaches() {}

    /** Applies the rule to this JVM; call before any native library loads. */
    public static void configure() {
        configure(
                System.getProperties(),
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    static void configure(Properties properties, Map<String, String> environment, Path home, Path temp) {
        if (Files.isDirectory(home) && Files.isWritable(home)) {
            return;
        }
        if (properties.getProperty(JAVACPP_CACHE_DIR) == null) {
            properties.setProperty(JAVACPP_CACHE_DIR, temp.resolve("javacpp").toString());
        }
        // DJL reads its environment variable first, then the system property of the same name.
        if (properties.getProperty(DJL_CACHE_DIR) == null && environment.get(DJL_CACHE_DIR) == null) {
            properties.setProperty(DJL_CACHE_DIR, temp.resolve("djl").toString());
        }
    }
}
