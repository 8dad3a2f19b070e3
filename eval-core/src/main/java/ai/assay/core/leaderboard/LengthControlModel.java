package ai.assay.core.leaderboard;

import ai.assay.core.alpacaeval.data.AlpacaEvalData;
import ai.assay.reference.alpacaeval.metrics.LengthControlledWinRate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * AlpacaEval's length-controlled fit, built from the gamed-baseline data that {@link AlpacaEvalData} provides
 * ({@code assay.alpaca-eval.data-dir}, else the Hugging Face Hub, cached), loaded once on first use. When the data
 * cannot be had, length-controlled bootstraps are unavailable and {@link #unavailableReason} says why; the data is
 * looked for again after {@link #RETRY_AFTER}.
 */
@Component
public class LengthControlModel {

    static final Duration RETRY_AFTER = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(LengthControlModel.class);

    private final AlpacaEvalData data;
    private volatile Optional<LengthControlledWinRate> model;
    private volatile String unavailableReason;
    private volatile Instant failedAt;

    public LengthControlModel(AlpacaEvalData data) {
        this.data = data;
    }

    public static LengthControlModel of(LengthControlledWinRate model) {
        LengthControlModel fixed = new LengthControlModel(null);
        fixed.model = Optional.of(model);
        return fixed;
    }

    public Optional<LengthControlledWinRate> get() {
        if (model == null || (model.isEmpty() && Instant.now().isAfter(failedAt.plus(RETRY_AFTER)))) {
            synchronized (this) {
                if (model == null || (model.isEmpty() && Instant.now().isAfter(failedAt.plus(RETRY_AFTER)))) {
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
        try {
            Optional<LengthControlledWinRate> loaded = Optional.of(
                    new LengthControlledWinRate(data.lengthControlData().gamedBaseline()));
            unavailableReason = null;
            return loaded;
        } catch (RuntimeException e) {
            failedAt = Instant.now();
            unavailableReason = "length-controlled statistics need AlpacaEval's length-control data: " + e.getMessage();
            log.warn("Length-controlled statistics are unavailable: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
