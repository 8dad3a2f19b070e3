package ai.assay.reference.jinja;

/**
 * The two Jinja2 environments Assay reproduces. Both render with the same engine and the same Python values
 * (printed values are Python's {@code str()}, Python's str, list and dict methods); they differ in whitespace
 * control, in what an undefined value does, and in the filters and functions the upstream tool adds.
 */
public enum JinjaDialect {

    /**
     * lm-evaluation-harness's {@code jinja2.Environment(undefined=StrictUndefined, keep_trailing_newline=True)}
     * with its {@code regex_replace} filter ({@code re.sub}), used for task files' {@code doc_to_text},
     * {@code doc_to_target}, {@code doc_to_choice} and {@code description}: no trim_blocks or lstrip_blocks, the
     * trailing newline kept, an undefined name or attribute fails, {@code none}/{@code None} is Python's None.
     */
    LM_EVAL(false, false, true, true),

    /**
     * transformers' chat-template environment ({@code ImmutableSandboxedEnvironment(trim_blocks=True,
     * lstrip_blocks=True)}, one trailing newline dropped, undefined values lenient) with its {@code tojson}
     * filter, {@code raise_exception} and {@code strftime_now} functions and the {@code {% generation %}} block.
     */
    TRANSFORMERS(true, true, false, false);

    private final boolean trimBlocks;
    private final boolean lstripBlocks;
    private final boolean keepTrailingNewline;
    private final boolean strictUndefined;

    JinjaDialect(boolean trimBlocks, boolean lstripBlocks, boolean keepTrailingNewline, boolean strictUndefined) {
        this.trimBlocks = trimBlocks;
        this.lstripBlocks = lstripBlocks;
        this.keepTrailingNewline = keepTrailingNewline;
        this.strictUndefined = strictUndefined;
    }

    boolean trimBlocks() {
        return trimBlocks;
    }

    boolean lstripBlocks() {
        return lstripBlocks;
    }

    boolean keepTrailingNewline() {
        return keepTrailingNewline;
    }

    boolean strictUndefined() {
        return strictUndefined;
    }
}
