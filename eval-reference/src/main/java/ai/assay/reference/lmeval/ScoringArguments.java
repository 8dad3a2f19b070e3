package ai.assay.reference.lmeval;

/** One loglikelihood request: {@code (context, continuation)} as lm-eval's {@code Instance.arguments}. */
public record ScoringArguments(String context, String continuation) {}
