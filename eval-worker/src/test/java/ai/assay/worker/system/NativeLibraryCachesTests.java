package ai.assay.worker.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryCachesTests {

    @TempDir
    Path temp;

    @Test
    void withoutAWritableHomeTheNativesUnpackUnderTheTempDirectory() {
        Properties properties = new Properties();

        NativeLibraryCaches.configure(properties, Map.of(), temp.resolve("nonexistent"), temp.resolve("tmp"));

        assertThat(properties.getProperty(NativeLibraryCaches.JAVACPP_CACHE_DIR))
                .isEqualTo(temp.resolve("tmp/javacpp").toString());
        assertThat(properties.getProperty(NativeLibraryCaches.DJL_CACHE_DIR))
                .isEqualTo(temp.resolve("tmp/djl").toString());
    }

    @Test
    void aWritableHomeOrAnExplicitChoiceIsLeftAlone() {
        Properties withHome = new Properties();
        NativeLibraryCaches.configure(withHome, Map.of(), temp, temp.resolve("tmp"));
        assertThat(withHome).isEmpty();

        Properties chosen = new Properties();
        chosen.setProperty(NativeLibraryCaches.JAVACPP_CACHE_DIR, "/opt/natives");
        NativeLibraryCaches.configure(
                chosen,
                Map.of(NativeLibraryCaches.DJL_CACHE_DIR, "/opt/djl"),
                temp.resolve("nonexistent"),
                temp.resolve("tmp"));
        assertThat(chosen.getProperty(NativeLibraryCaches.JAVACPP_CACHE_DIR)).isEqualTo("/opt/natives");
        assertThat(chosen.getProperty(NativeLibraryCaches.DJL_CACHE_DIR)).isNull();
    }
}
