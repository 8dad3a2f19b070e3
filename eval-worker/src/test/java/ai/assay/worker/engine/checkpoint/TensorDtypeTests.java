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

    @Test
    void everyHalfValueSurvivesTheTripThroughFloat() {
        for (int h = 0; h < 0x10000; h++) {
            float f = TensorDtype.halfToFloat((short) h);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(TensorDtype.halfToFloat(TensorDtype.floatToHalf(f))))
                        .isTrue();
            } else {
                assertThat(TensorDtype.floatToHalf(f) & 0xFFFF)
                        .as("half 0x%04x", h)
                        .isEqualTo(h);
            }
        }
    }

    @Test
    void floatsRoundToTheNearestHalfWithTiesToEven() {
        // 1 + 2^-11 lies halfway between 1 and the next half (1 + 2^-10): the even one, 1, wins
        assertThat(TensorDtype.floatToHalf(1 + 0x1p-11f)).isEqualTo((short) 0x3C00);
        // halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even): up
        assertThat(TensorDtype.floatToHalf(1 + 0x1p-10f + 0x1p-11f)).isEqualTo((short) 0x3C02);
        assertThat(TensorDtype.floatToHalf(1 + 0x1p-11f + 0x1p-20f)).isEqualTo((short) 0x3C01);
        assertThat(TensorDtype.floatToHalf(65520f)).as("past the largest half").isEqualTo((short) 0x7C00);
        assertThat(TensorDtype.floatToHalf(65519f)).isEqualTo((short) 0x7BFF);
        assertThat(TensorDtype.floatToHalf(-1e9f)).isEqualTo((short) 0xFC00);
        // subnormals: 2^-24 is the smallest; half of it ties to 0, a little more rounds up to it
        assertThat(TensorDtype.floatToHalf(0x1p-24f)).isEqualTo((short) 0x0001);
        assertThat(TensorDtype.floatToHalf(0x1p-25f)).isEqualTo((short) 0x0000);
        assertThat(TensorDtype.floatToHalf(0x1.2p-25f)).isEqualTo((short) 0x0001);
        assertThat(TensorDtype.floatToHalf(3 * 0x1p-25f))
                .as("1.5 units ties to 2")
                .isEqualTo((short) 0x0002);
        assertThat(TensorDtype.floatToHalf(-0f)).isEqualTo((short) 0x8000);
    }

    @Test
    void floatsRoundToTheNearestBfloat16WithTiesToEven() {
        assertThat(TensorDtype.floatToBfloat16(1.0f)).isEqualTo((short) 0x3F80);
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: the even one, 1
        assertThat(TensorDtype.floatToBfloat16(1 + 0x1p-8f)).isEqualTo((short) 0x3F80);
        assertThat(TensorDtype.floatToBfloat16(1 + 0x1p-7f + 0x1p-8f)).isEqualTo((short) 0x3F82);
        assertThat(TensorDtype.floatToBfloat16(1 + 0x1p-8f + 0x1p-20f)).isEqualTo((short) 0x3F81);
        assertThat(Float.isNaN(TensorDtype.bfloat16ToFloat(TensorDtype.floatToBfloat16(Float.NaN))))
                .isTrue();
        for (int b = 0; b < 0x10000; b++) {
            float f = TensorDtype.bfloat16ToFloat((short) b);
            if (!Float.isNaN(f)) {
                assertThat(TensorDtype.floatToBfloat16(f) & 0xFFFF).isEqualTo(b);
            }
        }
    }
}
