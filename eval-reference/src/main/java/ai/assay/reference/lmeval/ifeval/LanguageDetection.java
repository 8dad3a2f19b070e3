package ai.assay.reference.lmeval.ifeval;

import com.cybozu.labs.langdetect.Detector;
import com.cybozu.labs.langdetect.DetectorFactory;
import com.cybozu.labs.langdetect.LangDetectException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code langdetect.detect(text)} as IFEval's language and case checkers call it. Python's {@code langdetect} is a
 * port of Cybozu's Java language-detection library; this runs that library itself ({@code com.cybozu.labs:langdetect}
 * 1.1-20120112, the version on Maven Central) with its 53 full-text profiles ({@code profiles/}, not the short-text
 * {@code profiles.sm/}). 52 are identical to those of Python's port (1.0.9), which rebuilt Korean ({@code ko}) and
 * adds Catalan ({@code ca}) and Welsh ({@code cy}), so a text Python calls {@code ca} or {@code cy} gets its nearest
 * other language here.
 * <p><b>Determinism.</b> The detector samples n-grams and smoothing at random (7 trials). lm-eval never sets
 * {@code DetectorFactory.seed}, so Python's answer on a short or mixed text may change from run to run; here the
 * seed is fixed at 0 ({@code DetectorFactory.setSeed(0)}, the library's own switch for this), so every run gives the
 * same answer. Java's and Python's random streams differ, so on such borderline texts the two may disagree; on a text
 * of a clear language both give its code.
 */
final class LanguageDetection {

    /** The profile files in the jar (ISO 639-1 codes, Chinese split by script). */
    private static final List<String> PROFILES = List.of(
            "af", "ar", "bg", "bn", "cs", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr", "gu", "he", "hi", "hr",
            "hu", "id", "it", "ja", "kn", "ko", "lt", "lv", "mk", "ml", "mr", "ne", "nl", "no", "pa", "pl", "pt", "ro",
            "ru", "sk", "sl", "so", "sq", "sv", "sw", "ta", "te", "th", "tl", "tr", "uk", "ur", "vi", "zh-cn", "zh-tw");

    private LanguageDetection() {}

    /**
     * The detected language code ({@code "unknown"} where no language has any probability), or empty where the text
     * has no features at all (Python raises {@code LangDetectException}, which the checkers count as followed).
     */
    static Optional<String> detect(String text) {
        Factory.ready();
        try {
            Detector detector = DetectorFactory.create();
            detector.append(text);
            return Optional.of(detector.detect());
        } catch (LangDetectException e) {
            return Optional.empty();
        }
    }

    private static final class Factory {
        static {
            List<String> profiles = new ArrayList<>();
            for (String language : PROFILES) {
                try (InputStream in = LanguageDetection.class.getResourceAsStream("/profiles/" + language)) {
                    if (in == null) {
                        throw new IllegalStateException("langdetect has no profile " + language);
                    }
                    profiles.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try {
                DetectorFactory.loadProfile(profiles);
            } catch (LangDetectException e) {
                throw new IllegalStateException("langdetect's profiles do not load", e);
            }
            DetectorFactory.setSeed(0);
        }

        static void ready() {}
    }
}
