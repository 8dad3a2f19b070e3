package ai.assay.reference.lmeval;

import java.util.List;
import java.util.Map;

/**
 * One {@code generate_until} request: lm-eval's {@code Instance(request_type="generate_until", arguments=(ctx,
 * gen_kwargs))}, sent {@code repeats} times (the evaluator repeats each instance; the responses are the
 * document's {@code resps} in order).
 *
 * @param context the prompt, as {@code fewshot_context} writes it without a chat template
 * @param kwargs  the task's {@code generation_kwargs}; {@link #until()} and the other accessors give the values
 *                a backend generates with
 * @param repeats the task's {@code repeats}
 */
public record GenerationRequest(String context, TaskConfig.GenerationKwargs kwargs, int repeats) {

    /** The stop strings (the backend adds the tokenizer's EOS string). */
    public List<String> until() {
        return kwargs.until();
    }

    public int maxGenToks() {
        return kwargs.maxGenToks();
    }

    public boolean doSample() {
        return kwargs.doSample();
    }

    public double temperature() {
        return kwargs.temperature();
    }

    /** {@code gen_kwargs} as the request carries them (lm-eval's samples file writes them as {@code arg_1}). */
    public Map<String, Object> arguments() {
        return kwargs.asConfigured();
    }
}
