package ai.assay.reference.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Expected values were printed by CPython 3.11's random module. */
class PyRandomTests {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void randomMatchesCPythonForIntSeeds() {
        PyRandom random = new PyRandom(1234);
        assertThat(List.of(random.random(), random.random(), random.random()))
                .containsExactly(0.9664535356921388, 0.4407325991753527, 0.007491470058587191);
        assertThat(new PyRandom(0).random()).isEqualTo(0.8444218515250481);
        assertThat(new PyRandom(-7).random()).isEqualTo(0.32383276483316237);
    }

    @Test
    void bigSeedsAndWideBitsMatch() {
        PyRandom random = new PyRandom(BigInteger.TWO.pow(70).add(BigInteger.valueOf(5)));
        assertThat(random.getrandbits(100)).isEqualTo(new BigInteger("829904723954819379215411981483"));
        assertThat(random.random()).isEqualTo(0.3684083919879382);
    }

    @Test
    void sampleMatchesBothOfCPythonsMethods() {
        assertThat(new PyRandom(1234).sample(range(100), 5)).containsExactly(99, 56, 14, 0, 11);
        assertThat(new PyRandom(1234).sample(range(10), 10)).containsExactly(7, 1, 0, 9, 4, 6, 5, 3, 8, 2);
        assertThat(new PyRandom(1234).sample(range(10000), 30))
                .containsExactly(
                        7220, 1914, 122, 1485, 9539, 572, 1375, 1612, 5810, 3879, 285, 504, 259, 5670, 7933, 7594, 2433,
                        1495, 2999, 1874, 239, 8242, 7974, 4093, 1057, 8865, 7633, 1123, 9854, 1457);
    }

    @Test
    void shuffleAndRandrangeMatch() {
        List<Integer> list = new ArrayList<>(range(20));
        new PyRandom(1234).shuffle(list);
        assertThat(list).containsExactly(19, 13, 4, 9, 16, 7, 6, 8, 17, 18, 5, 12, 15, 11, 10, 1, 2, 0, 3, 14);

        PyRandom random = new PyRandom(42);
        assertThat(IntStream.range(0, 5)
                        .map(i -> random.randrange(1000))
                        .boxed()
                        .toList())
                .containsExactly(654, 114, 25, 759, 281);
    }

    @Test
    void stringSeedsMatch() {
        PyRandom random = new PyRandom("is_switched_outputsWhat is 2+2?0");
        assertThat(random.choice(List.of(false, true))).isFalse();
        assertThat(random.random()).isEqualTo(0.09815002237016135);
    }
}
