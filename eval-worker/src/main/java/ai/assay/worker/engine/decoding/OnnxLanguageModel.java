package ai.assay.worker.engine.decoding;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.worker.engine.EngineTimes;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelBuild;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.engine.TextTokenizer;
import ai.assay.worker.engine.prompt.ModelText;
import ai.assay.worker.engine.runtime.DecoderRunner;
import java.util.List;
import java.util.Optional;

/** A decoder loaded in ONNX Runtime: generation and scoring over one {@link DecoderRunner}. */
final class OnnxLanguageModel implements LanguageModel {

    private final ModelInfo info;
    private final ModelText text;
    private final DecoderRunner runner;
    private final Generator generator;
    private final Scorer scorer;
    private final BatchLimits limits;

    private final ModelBuild build;

    /** @param build what was built from a checkpoint for this model, or null for an ONNX export */
    OnnxLanguageModel(
            ModelInfo info,
            ModelText text,
            DecoderRunner runner,
            DecoderLayout layout,
            BatchLimits limits,
            ModelBuild build) {
        this.info = info;
        this.build = build;
        this.text = text;
        this.runner = runner;
        this.limits = limits;
        this.generator = new Generator(
                runner,
                layout.padding(),
                text.tokenizer(),
                info.eosTokenIds(),
                info.vocabSize(),
                info.maxLength(),
                limits);
        this.scorer = new Scorer(runner, layout.padding(), layout.batchedStepsAfterPast(), info.maxLength(), limits);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public TextTokenizer tokenizer() {
        return text.tokenizer();
    }

    @Override
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return text.chatTemplate().render(messages, addGenerationPrompt);
    }

    @Override
    public Optional<ModelBuild> build() {
        return Optional.ofNullable(build);
    }

    @Override
    public Optional<String> chatTemplateText() {
        return text.chatTemplate().template();
    }

    @Override
    public void generate(List<GenerationRequest> requests, GenerationSink sink) {
        generator.generate(requests, sink);
    }

    /** Generation with a padding side other than the layout's: only for the test that shows the difference. */
    void generateWith(PaddingSide padding, List<GenerationRequest> requests, GenerationSink sink) {
        new Generator(runner, padding, text.tokenizer(), info.eosTokenIds(), info.vocabSize(), info.maxLength(), limits)
                .generate(requests, sink);
    }

    @Override
    public void loglikelihood(List<ScoringRequest> requests, ScoringSink sink) {
        scorer.score(requests, sink);
    }

    /** Whether shared-context prefills run a copy of the graph without its logits (see the loader). */
    boolean hasPrefillGraph() {
        return runner.hasPrefillGraph();
    }

    @Override
    public EngineTimes times() {
        return runner.times();
    }

    @Override
    public void close() {
        runner.close();
        if (text.resources() != null) {
            try {
                text.resources().close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the tokenizer", e);
            }
        }
    }
}
