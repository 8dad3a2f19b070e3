package ai.assay.core.leaderboard;

import ai.assay.reference.alpacaeval.metrics.GlmWeights;
import ai.assay.reference.statistics.BootstrapScheme;

/**
 * Bootstrap replicates of a judged task's win rate and length-controlled win rate on its own example set.
 *
 * @param lengthControlled null when the length-controlled win rate could not be refitted (see {@code note})
 * @param c the regularisation constant the full-data fit chose, at which every resample is refitted; null for the
 *     reference against itself or without a fit
 * @param weights the full-data GLM weights, or null
 * @param note why the length-controlled replicates are missing, or null
 */
public record HeadToHeadReplicates(
        BootstrapScheme scheme, float[] winRate, float[] lengthControlled, Double c, GlmWeights weights, String note) {}
