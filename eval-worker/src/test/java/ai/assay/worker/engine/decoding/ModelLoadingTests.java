package ai.assay.worker.engine.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.engine.graph.GraphBuilder;
import ai.assay.worker.engine.runtime.ElementType;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import ai.assay.worker.engine.testmodels.TinyDecoder.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.util.unit.DataSize;

class ModelLoadingTests {

    @TempDir
    Path directory;

    @Test
    void anOptimumExportIsDetectedFromItsGraph() {
        try (LanguageModel lm =
                TestEngines.load(TinyDecoder.small(Layout.OPTIMUM, 300), directory, TestEngines.cpu(4))) {
            assertThat(lm.info()).isEqualTo(new ModelInfo("optimum", "fp32", "cpu", 128, 300, 1, List.of(2), false));
            assertThat(((OnnxLanguageModel) lm).hasPrefillGraph())
                    .as("a graph without logits for the prefills")
                    .isTrue();
        }
    }

    @Test
    void aGenaiBuilderExportIsDetectedFromItsGraph() {
        try (LanguageModel lm = TestEngines.load(TinyDecoder.small(Layout.GENAI, 256), directory, TestEngines.cpu(4))) {
            assertThat(lm.info().layout()).isEqualTo("genai");
            assertThat(lm.info().vocabSize()).isEqualTo(256);
            assertThat(lm.info().maxLength()).isEqualTo(128);
            // genai graphs never share contexts, so a copy of the graph for their prefills would be dead weight.
            assertThat(((OnnxLanguageModel) lm).hasPrefillGraph()).isFalse();
        }
    }

    @Test
    void autoFallsBackToTheCpuWhenCudaDoesNotStart() {
        EngineProperties auto = TestEngines.cpu(4).withDevice("auto");
        try (LanguageModel lm = TestEngines.load(TinyDecoder.small(Layout.OPTIMUM, 300), directory, auto)) {
            assertThat(lm.info().device()).isEqualTo("cpu");
        }
    }

    @Test
    void anExplicitCudaDeviceThatDoesNotStartIsAnError() {
        EngineProperties cuda = TestEngines.cpu(4).withDevice("cuda:1");
        assertThatThrownBy(() -> TestEngines.load(TinyDecoder.small(Layout.OPTIMUM, 300), directory, cuda))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("CUDA execution provider did not start on cuda:1");
    }

    @ParameterizedTest
    @EnumSource(
            value = ElementType.class,
            names = {"FLOAT16", "BFLOAT16"})
    void halfPrecisionExportsRunWithTheirCacheAndLogitsInThatType(ElementType type) {
        TinyDecoder model = TinyDecoder.small(Layout.OPTIMUM, 300).withIoType(type);
        List<GenerationRequest> requests = List.of(
                new GenerationRequest("a", new int[] {5, 6, 7}, SamplingParams.greedy(6, List.of())),
                new GenerationRequest("b", new int[] {9, 10, 11, 12, 13, 14, 15}, SamplingParams.greedy(6, List.of())));
        Map<String, GenerationResult> alone;
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(1), -1)) {
            assertThat(lm.info().dtype()).isEqualTo(type.shortName());
            alone = GenerationTests.run(lm, requests);
        }
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(4), -1)) {
            Map<String, GenerationResult> batched = GenerationTests.run(lm, requests);
            assertThat(batched.get("a").text()).isEqualTo(alone.get("a").text()).hasSize(6);
            assertThat(batched.get("b").text()).isEqualTo(alone.get("b").text());
        }
    }

    @Test
    void aMissingModelFileIsNamed() {
        assertThatThrownBy(() -> new OnnxModelLoader(TestEngines.cpu(4), TestEngines.charText(2)).load(directory, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("has no model.onnx");
    }

    @Test
    void aLegacyMergedExportIsRecognised() throws IOException {
        Files.write(directory.resolve("decoder_model_merged.onnx"), new byte[] {0});
        assertThatThrownBy(() -> new OnnxModelLoader(TestEngines.cpu(4), TestEngines.charText(2)).load(directory, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("legacy Optimum export");
    }

    @Test
    void aGraphWithoutAKvCacheHasAnUnknownLayout() throws IOException {
        GraphBuilder g = new GraphBuilder("classifier");
        String ids = g.input("input_ids", ElementType.INT64.code(), "batch", "sequence");
        g.input("attention_mask", ElementType.INT64.code(), "batch", "sequence");
        String embedded = g.op("Gather", g.floats("embed", new long[] {10, 4}, new float[40]), ids);
        g.output("logits", embedded, ElementType.FLOAT.code(), "batch", "sequence", 4L);
        Files.write(directory.resolve("model.onnx"), g.toBytes());
        assertThatThrownBy(() -> new OnnxModelLoader(TestEngines.cpu(4), TestEngines.charText(2)).load(directory, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.onnx")
                .hasMessageContaining("past_key_values");
    }

    @Test
    void aModelLargerThanTheMemoryLimitIsRefusedNamingTheLimit() {
        EngineProperties small = TestEngines.cpu(4).withMaxMemory(DataSize.ofKilobytes(64));
        assertThatThrownBy(() -> TestEngines.load(TinyDecoder.small(Layout.OPTIMUM, 300), directory, small))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.onnx")
                .hasMessageContaining("assay.engine.max-memory");
    }
}
