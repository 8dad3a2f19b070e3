package ai.assay.worker.engine;

import java.util.Locale;

/** A stretch of a model's work, for one log line: its wall-clock time and the engine's runs during it. */
public final class EngineWork {

    private final LanguageModel model;
    private final EngineTimes before;
    private final long started;

    private EngineWork(LanguageModel model) {
        this.model = model;
        this.before = model.times();
        this.started = System.nanoTime();
    }

    public static EngineWork start(LanguageModel model) {
        return new EngineWork(model);
    }

    /** So far: {@code "39.8 s; engine: scoring passes 843 runs 25.70 s, ..."}. */
    public String report() {
        return String.format(
                Locale.ROOT,
                "%.1f s; engine: %s",
                (System.nanoTime() - started) / 1e9,
                model.times().since(before).summary());
    }
}
