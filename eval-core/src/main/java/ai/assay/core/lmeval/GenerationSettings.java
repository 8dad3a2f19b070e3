package ai.assay.core.lmeval;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * How a generation task decodes: its YAML's {@code generation_kwargs} ({@code max_gen_toks}, {@code temperature},
 * {@code until}; {@code do_sample: false} is temperature 0) as defaults, overridden per request by the option
 * {@code generation}.
 *
 * @param maxNewTokens lm-eval's {@code max_gen_toks}; the context is cut from the left to leave room for it
 * @param temperature  0 for greedy decoding, lm-eval's default
 * @param topP         nucleus mass, 1 for none
 * @param stop         lm-eval's {@code until}: the text is cut before the first of them
 * @param seed         the sampling seed (lm-eval's first {@code --seed} number); unused when greedy
 */
public record GenerationSettings(int maxNewTokens, double temperature, double topP, List<String> stop, long seed) {

    public static final String MAX_NEW_TOKENS = "maxNewTokens";
    public static final String TEMPERATURE = "temperature";
    public static final String TOP_P = "topP";
    public static final String STOP = "stop";
    public static final String SEED = "seed";

    public GenerationSettings {
        stop = List.copyOf(stop);
    }

    /** A task's own settings, before any override: greedy unless its YAML samples. */
    public static GenerationSettings ofTask(int maxGenToks, boolean doSample, double temperature, List<String> until) {
        return new GenerationSettings(maxGenToks, doSample ? temperature : 0, 1, until, 0);
    }

    public boolean greedy() {
        return temperature == 0;
    }

    /** Reads the stored {@code generation} option (defaults filled in by the API), falling back to {@code task}. */
    static GenerationSettings of(JsonNode generation, GenerationSettings task) {
        if (generation == null || !generation.isObject()) {
            return task;
        }
        List<String> stop = task.stop();
        if (generation.hasNonNull(STOP)) {
            stop = new ArrayList<>();
            for (JsonNode s : generation.get(STOP)) {
                stop.add(s.stringValue());
            }
        }
        return new GenerationSettings(
                generation.hasNonNull(MAX_NEW_TOKENS)
                        ? generation.get(MAX_NEW_TOKENS).intValue()
                        : task.maxNewTokens(),
                generation.hasNonNull(TEMPERATURE) ? generation.get(TEMPERATURE).doubleValue() : task.temperature(),
                generation.hasNonNull(TOP_P) ? generation.get(TOP_P).doubleValue() : task.topP(),
                stop,
                generation.hasNonNull(SEED) ? generation.get(SEED).longValue() : task.seed());
    }
}
