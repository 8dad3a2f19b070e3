package ai.assay.worker.engine.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.checkpoint.DecoderConfig;
import ai.assay.worker.engine.checkpoint.DecoderFamily;
import ai.assay.worker.engine.checkpoint.HfCheckpoint;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphVariantTests {

    @TempDir
    Path temp;

    @Test
    void cudaGetsTheFusedGraphInTheCheckpointsHalfTypeAndTheCpuTheFloat32Graph() {
        DecoderConfig config = config(TinyCheckpoint.of(DecoderFamily.LLAMA).withHeadDim(16));
        assertThat(GraphVariant.forDevice(true, config, TensorDtype.BF16)).isEqualTo(GraphVariant.FUSED_BF16);
        assertThat(GraphVariant.forDevice(true, config, TensorDtype.F16)).isEqualTo(GraphVariant.FUSED_FP16);
        assertThat(GraphVariant.forDevice(true, config, TensorDtype.F32)).isEqualTo(GraphVariant.FUSED_FP16);
        assertThat(GraphVariant.forDevice(false, config, TensorDtype.BF16)).isEqualTo(GraphVariant.CPU_FP32);
    }

    @Test
    void aHeadSizeTheFusedAttentionCannotTakeGetsTheFloat32GraphOnCuda() {
        DecoderConfig config = config(TinyCheckpoint.of(DecoderFamily.LLAMA));
        assertThat(config.headDim()).isEqualTo(8);
        assertThat(GraphVariant.forDevice(true, config, TensorDtype.F16)).isEqualTo(GraphVariant.CPU_FP32);
    }

    @Test
    void variantsAreNamedWithoutTheirVersionAndAnUnknownNameListsTheKnownOnes() {
        assertThat(GraphVariant.parse("Fused-FP16")).isEqualTo(GraphVariant.FUSED_FP16);
        assertThat(GraphVariant.parse("cpu-fp32")).isEqualTo(GraphVariant.CPU_FP32);
        assertThatThrownBy(() -> GraphVariant.parse("cuda"))
                .hasMessageContaining("unknown build variant 'cuda'")
                .hasMessageContaining("cpu-fp32, fused-fp32, fused-fp16, fused-bf16");
    }

    private DecoderConfig config(TinyCheckpoint tiny) {
        try (HfCheckpoint checkpoint = HfCheckpoint.open(tiny.writeTo(temp.resolve("checkpoint")))) {
            return checkpoint.config();
        }
    }
}
