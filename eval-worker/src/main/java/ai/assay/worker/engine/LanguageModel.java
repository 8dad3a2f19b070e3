package ai.assay.worker.engine;

import ai.assay.reference.chat.ChatMessage;
import java.util.List;
import java.util.Optional;

/**
 * A loaded decoder-only language model: it generates text and scores continuations. This is the contract the
 * tasks use; the ONNX Runtime implementation and its native memory stay behind it.
 *
 * <p>One task uses a model at a time: implementations need not be thread-safe. Closing the model frees its
 * session and every native buffer.
 */
public interface LanguageModel extends AutoCloseable {

    ModelInfo info();

    TextTokenizer tokenizer();

    /**
     * Renders chat messages with the model's chat template, or with the template the model was loaded with.
     *
     * @param addGenerationPrompt whether to end with the template's cue for the assistant's turn
     */
    String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt);

    /** The Jinja source of the chat template {@link #applyChatTemplate} renders with, where there is one. */
    default Optional<String> chatTemplateText() {
        return Optional.empty();
    }

    /** What was built from a checkpoint directory to run this model; empty for a model loaded as an ONNX export. */
    default Optional<ModelBuild> build() {
        return Optional.empty();
    }

    /**
     * Generates a completion for every request. Each result goes to the sink as soon as its row finishes, so a
     * caller can checkpoint while the rest run. Returns when all are done or when the sink asks to stop.
     */
    void generate(List<GenerationRequest> requests, GenerationSink sink);

    /**
     * Scores every (context, continuation) pair: the sum of the continuation tokens' log-probabilities and
     * whether each was the greedy choice. Each result goes to the sink as soon as it is known.
     */
    void loglikelihood(List<ScoringRequest> requests, ScoringSink sink);

    /** Where the engine's time went since it was loaded; {@link EngineTimes#NONE} where it is not counted. */
    default EngineTimes times() {
        return EngineTimes.NONE;
    }

    @Override
    void close();
}
