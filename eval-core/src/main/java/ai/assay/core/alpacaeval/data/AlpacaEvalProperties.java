package ai.assay.core.alpacaeval.data;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where AlpacaEval's data comes from, under {@code assay.alpaca-eval}. Downloads use the Hub settings of
 * {@code assay.datasets} (token, offline mode, cache).
 *
 * @param dataDir    a directory holding {@code alpaca_eval_gpt4_baseline.json} (the eval set with the reference
 *                   answers), {@code instruction_difficulty.csv} and {@code df_gamed.csv}; files found there are used
 *                   instead of downloading them. Null for none
 * @param repository the Hugging Face dataset repository the files are downloaded from
 * @param revision   the revision (branch, tag or commit) of that repository
 */
@ConfigurationProperties("assay.alpaca-eval")
public record AlpacaEvalProperties(
        Path dataDir,
        @DefaultValue("tatsu-lab/alpaca_eval") String repository,
        @DefaultValue("main") String revision) {}
