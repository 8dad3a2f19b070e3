package ai.assay.reference.lmeval.ifeval;

import java.util.Locale;

/**
 * The {@code str} predicates IFEval's checkers call: {@code isupper()} and {@code islower()} (at least one cased
 * character, and none of the other case or title case; Java's {@link Character#isUpperCase(int)} and
 * {@link Character#isLowerCase(int)} include Other_Uppercase and Other_Lowercase as Python does), and
 * {@code lower()} (full Unicode lowering, locale-free).
 */
final class PythonText {

    private PythonText() {}

    static boolean isUpper(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLowerCase(c) || Character.isTitleCase(c)) {
                return false;
            }
            cased |= Character.isUpperCase(c);
        }
        return cased;
    }

    static boolean isLower(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isUpperCase(c) || Character.isTitleCase(c)) {
                return false;
            }
            cased |= Character.isLowerCase(c);
        }
        return cased;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
