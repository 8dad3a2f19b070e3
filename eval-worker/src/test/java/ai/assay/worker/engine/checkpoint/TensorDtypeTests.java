package ai.assay.worker.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TensorDtypeTests {

    @Test
    void halfBitPatternsConvertExactly() {
        assertThat(TensorDtype.halfToFloat((short) 0x3C00)).isEqualTo(1.0f);
        assertThat(TensorDtype.halfToFloat((short) 0xC000)).isEqualTo(-2.0f);
        assertThat(TensorDtype.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(TensorDtype.halfToFloat((short) 0x7BFF)).isEqualTo(65504.0f);
        assertThat(TensorDtype.halfToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(TensorDtype.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(TensorDtype.halfToFloat((short) 0x83FF)).isEqualTo(-1023 * 0x1p-24f);
        assertThat(Float.floatToRawIntBits(TensorDtype.halfToFloat((short) 0x8000)))
                .isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(TensorDtype.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(TensorDtype.halfToFloat((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(TensorDtype.halfToFloat((short) 0x7E00)).isNaN();
    }

    @Test
    void bfloat16BitPatternsConvertExactly() {
        assertThat(TensorDtype.bfloat16ToFloat((short) 0x3F80)).isEqualTo(1.0f);
        assertThat(TensorDtype.bfloat16ToFloat((short) 0xC0A0)).isEqualTo(-5.0f);
        assertThat(TensorDtype.bfloat16ToFloat((short) 0x3EAB)).isEqualTo(0.333984375f);
        assertThat(TensorDtype.bfloat16ToFloat((short) 0x7F7F)).isEqualTo(0x1.FEp127f);
        assertThat(TensorDtype.bfloat16ToFloat((short) 0x0001)).isEqualTo(0x1p-133f);
        assertThat(TensorDtype.bfloat16ToFloat((short) 0xFF80)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(TensorDtype.bfloat16ToFloat((short) 0x7FC0)).isNaN();
    }
}
