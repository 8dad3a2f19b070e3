package ai.assay.api.evaluation;

import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Labels are string pairs a pipeline attaches to an evaluation (run, step, seed, ...) and filters listings and
 * leaderboards by, written {@code key:value} in query parameters; hence keys cannot hold a colon.
 */
public final class Labels {

    static final int MAX_LABELS = 64;
    static final int MAX_VALUE_LENGTH = 256;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");

    private Labels() {}

    public static void validate(Map<String, String> labels, String pointer, List<Violation> violations) {
        if (labels.size() > MAX_LABELS) {
            violations.add(new Violation(
                    ViolationKind.OUT_OF_RANGE,
                    pointer,
                    "at most %d labels are allowed, but there are %d".formatted(MAX_LABELS, labels.size())));
        }
        labels.forEach((key, value) -> {
            String labelPointer = JsonPointers.child(pointer, key);
            if (!isValidKey(key)) {
                violations.add(new Violation(
                        ViolationKind.INVALID_VALUE,
                        labelPointer,
                        "the label key '%s' must match %s".formatted(key, KEY.pattern())));
            }
            if (value == null) {
                violations.add(new Violation(
                        ViolationKind.INVALID_TYPE,
                        labelPointer,
                        "the label '%s' must have a string value".formatted(key)));
            } else if (value.length() > MAX_VALUE_LENGTH) {
                violations.add(new Violation(
                        ViolationKind.OUT_OF_RANGE,
                        labelPointer,
                        "the label '%s' may have at most %d characters".formatted(key, MAX_VALUE_LENGTH)));
            }
        });
    }

    public static boolean isValidKey(String key) {
        return KEY.matcher(key).matches();
    }
}
