package ai.assay.reference.lmeval;

import ai.assay.reference.python.PyStrings;

/**
 * How lm-eval joins the pieces of a prompt ({@code lm_eval/api/utils.py} at 4e7e0d47f): a delimiter goes between
 * two pieces only where neither has whitespace at the join (Python's {@code str.isspace} of the last and the first
 * character).
 */
final class PromptText {

    private PromptText() {}

    /** {@code requires_delimiter(prefix, suffix)}: false for an empty prefix. */
    static boolean requiresDelimiter(String prefix, String suffix) {
        if (prefix.isEmpty()) {
            return false;
        }
        return !(endsWithSpace(prefix) || startsWithSpace(suffix));
    }

    /** {@code maybe_delimit(prefix, suffix, delimiter)}: either alone when the other is null or empty. */
    static String maybeDelimit(String prefix, String suffix, String delimiter) {
        if (prefix == null || prefix.isEmpty()) {
            return suffix == null ? "" : suffix;
        }
        if (suffix == null || suffix.isEmpty()) {
            return prefix;
        }
        return endsWithSpace(prefix) || startsWithSpace(suffix) ? prefix + suffix : prefix + delimiter + suffix;
    }

    private static boolean endsWithSpace(String s) {
        return PyStrings.isSpace(s.codePointBefore(s.length()));
    }

    private static boolean startsWithSpace(String s) {
        return !s.isEmpty() && PyStrings.isSpace(s.codePointAt(0));
    }
}
