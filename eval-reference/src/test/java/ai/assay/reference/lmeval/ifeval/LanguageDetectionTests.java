package ai.assay.reference.lmeval.ifeval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code langdetect.detect} through Cybozu's library, seeded so that every run gives the same answer. */
class LanguageDetectionTests {

    @Test
    void clearTextsGetTheirLanguage() {
        assertThat(LanguageDetection.detect("The quick brown fox jumps over the lazy dog near the river bank."))
                .contains("en");
        assertThat(LanguageDetection.detect("Der schnelle braune Fuchs springt über den faulen Hund am Flussufer."))
                .contains("de");
        assertThat(LanguageDetection.detect("ನಮಸ್ಕಾರ, ನಾನು ಕನ್ನಡದಲ್ಲಿ ಬರೆಯುತ್ತಿದ್ದೇನೆ."))
                .contains("kn");
    }

    @Test
    void anAmbiguousTextGetsTheSameAnswerEveryTime() {
        String ambiguous = "SNEAKER SNEAKER SNEAKER ARE GREAT";
        String first = LanguageDetection.detect(ambiguous).orElseThrow();
        for (int i = 0; i < 20; i++) {
            assertThat(LanguageDetection.detect(ambiguous)).contains(first);
        }
    }

    @Test
    void aTextWithoutFeaturesHasNoLanguage() {
        assertThat(LanguageDetection.detect("12345 !!! 678")).isEmpty();
        assertThat(LanguageDetection.detect("")).isEmpty();
    }
}
