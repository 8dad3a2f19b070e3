package ai.assay.reference.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Expected values printed by CPython 3.11 ({@code repr(float)}). */
class PyFloatsTests {

    @Test
    void reprIsPythons() {
        assertThat(PyFloats.repr(0.1)).isEqualTo("0.1");
        assertThat(PyFloats.repr(1e16)).isEqualTo("1e+16");
        assertThat(PyFloats.repr(1e15)).isEqualTo("1000000000000000.0");
        assertThat(PyFloats.repr(1e-5)).isEqualTo("1e-05");
        assertThat(PyFloats.repr(0.0001)).isEqualTo("0.0001");
        assertThat(PyFloats.repr(-12.345678901234567)).isEqualTo("-12.345678901234567");
        assertThat(PyFloats.repr(2.5e-300)).isEqualTo("2.5e-300");
        assertThat(PyFloats.repr(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(PyFloats.repr(1.0 / 3)).isEqualTo("0.3333333333333333");
        assertThat(PyFloats.repr(-0.0)).isEqualTo("-0.0");
        assertThat(PyFloats.repr(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(PyFloats.repr(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        assertThat(PyFloats.repr(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(PyFloats.repr(100.0)).isEqualTo("100.0");
    }

    @Test
    void reprIsPythonsAtTheNotationBoundaries() {
        double[] values = {
            1e16,
            1234567890123456.0,
            0.0001,
            0.00001,
            1.0 / 3,
            -2.5,
            1e22,
            123.456,
            5e-324,
            1.7976931348623157e308,
            100.0,
            0.1 + 0.2,
            Math.pow(2, 60),
            9007199254740993.0,
            1.5e-7,
            12345.678e10
        };
        List<String> python = List.of(
                "1e+16",
                "1234567890123456.0",
                "0.0001",
                "1e-05",
                "0.3333333333333333",
                "-2.5",
                "1e+22",
                "123.456",
                "5e-324",
                "1.7976931348623157e+308",
                "100.0",
                "0.30000000000000004",
                "1.152921504606847e+18",
                "9007199254740992.0",
                "1.5e-07",
                "123456780000000.0");
        for (int i = 0; i < values.length; i++) {
            assertThat(PyFloats.repr(values[i])).as("repr(%s)", values[i]).isEqualTo(python.get(i));
        }
        assertThat(PyFloats.repr(Double.NaN)).isEqualTo("nan");
        assertThat(PyFloats.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    /** Just above a power of two the shortest decimal that reads back is not always the nearest of its length. */
    @Test
    void reprIsPythonsJustAbovePowersOfTwo() {
        assertThat(PyFloats.repr(Math.scalb(1.0, -24))).isEqualTo("5.960464477539063e-08");
        assertThat(PyFloats.repr(Math.scalb(-1.0, -44))).isEqualTo("-5.684341886080802e-14");
        assertThat(PyFloats.repr(Math.scalb(1.0, 89))).isEqualTo("6.189700196426902e+26");
        assertThat(PyFloats.repr(Math.scalb(1.0, -1017))).isEqualTo("7.120236347223045e-307");
    }

    /** Every power of two and 3,000 random doubles against CPython's repr (src/test/resources/python/README.md). */
    @Test
    void reprIsPythonsOnReferenceValues() throws IOException {
        int checked = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(PyFloatsTests.class.getResourceAsStream("/python/float-reprs.txt.gz")),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] fields = line.split(" ");
                double x = Double.longBitsToDouble(Long.parseUnsignedLong(fields[0], 16));
                assertThat(PyFloats.repr(x)).as("repr of bits %s", fields[0]).isEqualTo(fields[1]);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(5096);
    }

    /** 3,000 squares and 3,000 exponentials against CPython's (src/test/resources/python/README.md). */
    @Test
    void squaresAndExponentialsArePythonsOnReferenceValues() throws IOException {
        int checked = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(PyFloatsTests.class.getResourceAsStream("/python/pow-exp.txt.gz")),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] fields = line.split(" ");
                double x = Double.longBitsToDouble(Long.parseUnsignedLong(fields[1], 16));
                long expected = Long.parseUnsignedLong(fields[2], 16);
                double actual = fields[0].equals("square") ? PyFloats.square(x) : PyFloats.exp(x);
                assertThat(Long.toHexString(Double.doubleToRawLongBits(actual)))
                        .as("%s of bits %s", fields[0], fields[1])
                        .isEqualTo(Long.toHexString(expected));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(6000);
    }

    @Test
    void aSquareIsGlibcsPowNotTheCorrectlyRoundedProduct() {
        // Python: 0.81475 ** 2 == 0.6638175624999999 while 0.81475 * 0.81475 == 0.6638175625.
        assertThat(PyFloats.square(0.81475)).isEqualTo(0.6638175624999999);
        assertThat(0.81475 * 0.81475).isEqualTo(0.6638175625);
        assertThat(PyFloats.square(0.502521)).isEqualTo(0.25252735544099997);
        assertThat(PyFloats.square(0.465527)).isEqualTo(0.21671538772900004);
        assertThat(PyFloats.square(-0.046443)).isEqualTo(0.0021569522489999996);
        assertThat(PyFloats.square(0.079667)).isEqualTo(0.006346830889);
    }

    @Test
    void aSquareKeepsPythonsEdges() {
        assertThat(PyFloats.square(0.0)).isEqualTo(0.0);
        assertThat(PyFloats.square(-1.0)).isEqualTo(1.0);
        assertThat(PyFloats.square(3.0)).isEqualTo(9.0);
        assertThat(PyFloats.square(1e-160)).isEqualTo(1e-320);
        assertThat(PyFloats.square(2.5e-155)).isEqualTo(6.25e-310);
        assertThat(PyFloats.square(5e-324)).isEqualTo(0.0);
        assertThat(PyFloats.square(1e200)).isInfinite();
        assertThat(PyFloats.square(Double.NaN)).isNaN();
    }

    @Test
    void expIsGlibcsWhereStrictMathIsAnUlpAway() {
        assertThat(PyFloats.exp(-8.34375)).isEqualTo(0.00023787862342236765);
        assertThat(StrictMath.exp(-8.34375)).isNotEqualTo(0.00023787862342236765);
        assertThat(PyFloats.exp(-3.375)).isEqualTo(0.03421811831166603);
        assertThat(PyFloats.exp(-20.5)).isEqualTo(1.2501528663867426e-09);
        assertThat(PyFloats.exp(-0.6931471805599453)).isEqualTo(0.5);
        assertThat(PyFloats.exp(-1e-20)).isEqualTo(1.0);
        assertThat(PyFloats.exp(-740.0)).isEqualTo(4.2e-322);
        assertThat(PyFloats.exp(-745.5)).isEqualTo(0.0);
        assertThat(PyFloats.exp(709.5)).isEqualTo(1.3549863193146328e+308);
        assertThat(PyFloats.exp(Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
    }

    @Test
    void numpySumsPairwiseFromEightValuesOn() {
        // numpy: np.sum of these nine adds (((a0+a1)+(a2+a3))+((a4+a5)+(a6+a7)))+a8; plain addition gives 0.6.
        double[] values = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.0, 0.0, 0.0};
        assertThat(PyFloats.numpySum(values)).isEqualTo(0.6000000000000001);
        assertThat(PyFloats.naiveSum(values)).isEqualTo(0.6);
        assertThat(PyFloats.numpySum(new double[] {0.1, 0.2, 0.3})).isEqualTo(0.6000000000000001);
        assertThat(PyFloats.numpySum(new double[0])).isEqualTo(0.0);
    }
}
