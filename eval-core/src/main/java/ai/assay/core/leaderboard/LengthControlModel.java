package ai.assay.core.leaderboard;

import ai.assay.core.alpacaeval.data.LengthControlDataReader;
import ai.assay.core.alpacaeval.metrics.LengthControlledWinRate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * AlpacaEval's length-controlled fit, built from the gamed-baseline data in {@code assay.alpaca-eval.data-dir}
 * (the directory with {@code df_gamed.csv} and {@code instruction_difficulty.csv}), loaded once on first use. Without
 * that setting, or with unreadable files, length-controlled bootstraps are unavailable and {@link #unavailableReason}
 * says why.
 */
@Component
public class LengthControlModel {

    private static final Logger log = LoggerFactory.getLogger(LengthControlModel.class);

    private final String dataDir;
    private volatile Optional<LengthControlledWinRate> model;
    private volatile String unavailableReason;

    public LengthControlModel(@Value("${assay.alpaca-eval.data-dir:}") String dataDir) {
        this.dataDir = dataDir == null ? "" : dataDir.strip();
    }

    public static LengthControlModel of(LengthControlledWinRate model) {
        LengthControlModel fixed = new LengthControlModel("");
        fixed.model = Optional.of(model);
        return fixed;
    }

    public Optional<LengthControlledWinRate> get() {
        if (model == null) {
            synchronized (this) {
                if (model == null) {
                    model = load();
                }
            }
        }
        return model;
    }

    public String unavailableReason() {
        get();
        return unavailableReason;
    }

    private Optional<LengthControlledWinRate> load() {
        if (dataDir.isEmpty()) {
            unavailableReason = "length-controlled statistics need AlpacaEval's length-control data:"
                    + " set assay.alpaca-eval.data-dir to the directory with df_gamed.csv";
            return Optional.empty();
        }
        Path dir = Path.of(dataDir);
        Path gamed = dir.resolve(LengthControlDataReader.GAMED_BASELINE_FILE);
        if (!Files.isReadable(gamed)) {
            unavailableReason = "length-controlled statistics need " + gamed + ", which cannot be read";
            log.warn("assay.alpaca-eval.data-dir is set but {} cannot be read", gamed);
            return Optional.empty();
        }
        try {
            return Optional.of(new LengthControlledWinRate(new LengthControlDataReader().readGamedBaseline(gamed)));
        } catch (RuntimeException e) {
            unavailableReason = "the length-control data in " + dir + " is not usable: " + e.getMessage();
            log.warn("Cannot use the length-control data in {}", dir, e);
            return Optional.empty();
        }
    }
}
