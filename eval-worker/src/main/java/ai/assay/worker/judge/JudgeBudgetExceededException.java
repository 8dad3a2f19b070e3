package ai.assay.worker.judge;

/**
 * A judging run stopped at its budget. Every result finished before was passed to the sink; the items left are
 * judged by a later run with a new budget.
 */
public class JudgeBudgetExceededException extends JudgeException {

    private final transient JudgeSummary summary;

    public JudgeBudgetExceededException(String message, JudgeSummary summary) {
        super(message);
        this.summary = summary;
    }

    public JudgeSummary summary() {
        return summary;
    }
}
