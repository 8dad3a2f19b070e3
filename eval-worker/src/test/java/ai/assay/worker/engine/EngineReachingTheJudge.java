package ai.assay.worker.engine;

import ai.assay.worker.judge.JudgeService;

/**
 * A test-only class that breaks the engine rule on purpose: {@code ArchitectureTests} shows the rule refusing it.
 * Test classes are outside the rules' import, so it breaks nothing else.
 */
public final class EngineReachingTheJudge {

    private final JudgeService judge;

    public EngineReachingTheJudge(JudgeService judge) {
        this.judge = judge;
    }

    public JudgeService judge() {
        return judge;
    }
}
