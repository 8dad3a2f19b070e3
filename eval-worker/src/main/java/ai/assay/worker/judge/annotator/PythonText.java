package ai.assay.worker.judge.annotator;

/** The bits of Python's {@code str} that prompt building depends on. */
final class PythonText {

    private PythonText() {
    }

    /** Python's {@code str.isspace()} for one character (Java's {@code isWhitespace} leaves out no-break spaces). */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u0085' || c == '\u00a0' || c == '\u2007' || c == '\u202f';
    }

    /** Python's {@code str.strip()} without arguments. */
    static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Python's {@code text.replace(old, new, 1)}. */
    static String replaceFirst(String text, String old, String replacement) {
        int at = text.indexOf(old);
        return at < 0 ? text : text.substring(0, at) + replacement + text.substring(at + old.length());
    }
}
