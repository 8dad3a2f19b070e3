package ai.assay.worker.engine.decoding;

import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.prompt.ModelText;
import ai.assay.worker.engine.prompt.ModelTextLoader;
import ai.assay.worker.engine.testmodels.CharTokenizer;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Tiny models written to a directory and loaded through the real loader, with a character tokenizer. */
final class TestEngines {

    static final int VOCAB = 300;
    static final int EOS = 2;

    private TestEngines() {}

    static ModelTextLoader charText(int eos) {
        return (directory, override) -> new ModelText(
                new CharTokenizer(Set.of(eos)),
                (messages, addGenerationPrompt) -> {
                    throw new UnsupportedOperationException("no chat template in engine tests");
                },
                List.of(eos),
                1,
                false,
                null,
                null);
    }

    static LanguageModel load(TinyDecoder model, Path directory, EngineProperties properties) {
        return load(model, directory, properties, EOS);
    }

    static LanguageModel load(TinyDecoder model, Path directory, EngineProperties properties, int eos) {
        model.writeTo(directory);
        return new OnnxModelLoader(properties, charText(eos)).load(directory, null);
    }

    static EngineProperties cpu(int maxBatchSize) {
        return EngineProperties.defaults().withDevice("cpu").withThreads(1).withMaxBatchSize(maxBatchSize);
    }
}
