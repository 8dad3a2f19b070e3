package ai.assay.api.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a token may do. {@code admin} includes the other two. */
public enum Scope {
    /** Every GET: evaluations, results, leaderboards, exports, the web pages. */
    READ,
    /** Create evaluations and imports, and cancel the evaluations this token submitted. */
    SUBMIT,
    /** Manage tokens, read the audit trail, cancel any evaluation, replace another import's results. */
    ADMIN;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }
}
