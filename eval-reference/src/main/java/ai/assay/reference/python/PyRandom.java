package ai.assay.reference.python;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CPython's {@code random.Random} (Mersenne Twister MT19937 with CPython's seeding), reproduced draw for draw.
 * The reference tools pick few-shot examples ({@code Random(1234).sample}) and AlpacaEval's output order
 * ({@code Random(str).choices}) with it, so matching them needs the same stream, not just the same algorithm.
 *
 * <p>Not thread-safe, like its original.
 */
public final class PyRandom {

    private static final int N = 624;
    private static final int M = 397;

    private final int[] state = new int[N];
    private int index;

    /** {@code random.Random(seed)} for an int seed (its absolute value is used, as CPython does). */
    public PyRandom(long seed) {
        this(BigInteger.valueOf(seed));
    }

    public PyRandom(BigInteger seed) {
        seedWithKey(keyOf(seed.abs()));
    }

    /**
     * {@code random.Random(seed)} for a str seed (version 2 seeding: the UTF-8 bytes followed by their SHA-512,
     * read as one big-endian integer).
     */
    public PyRandom(String seed) {
        byte[] text = seed.getBytes(StandardCharsets.UTF_8);
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-512").digest(text);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is part of every JRE", e);
        }
        byte[] all = new byte[text.length + digest.length];
        System.arraycopy(text, 0, all, 0, text.length);
        System.arraycopy(digest, 0, all, text.length, digest.length);
        seedWithKey(keyOf(new BigInteger(1, all)));
    }

    /** {@code random()}: a double in [0, 1) with 53 random bits. */
    public double random() {
        long a = Integer.toUnsignedLong(nextInt()) >>> 5;
        long b = Integer.toUnsignedLong(nextInt()) >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /** {@code getrandbits(k)} for any k &gt; 0. */
    public BigInteger getrandbits(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive");
        }
        if (k <= 32) {
            return BigInteger.valueOf(Integer.toUnsignedLong(nextInt()) >>> (32 - k));
        }
        BigInteger result = BigInteger.ZERO;
        int shift = 0;
        for (int remaining = k; remaining > 0; remaining -= 32, shift += 32) {
            long word = Integer.toUnsignedLong(nextInt());
            if (remaining < 32) {
                word >>>= 32 - remaining;
            }
            result = result.or(BigInteger.valueOf(word).shiftLeft(shift));
        }
        return result;
    }

    /** {@code _randbelow(n)}: uniform in [0, n), by rejection as CPython does. */
    public int randbelow(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive");
        }
        int bits = 32 - Integer.numberOfLeadingZeros(n);
        int r = getrandbits(bits).intValue();
        while (r >= n) {
            r = getrandbits(bits).intValue();
        }
        return r;
    }

    /** {@code randrange(n)}. */
    public int randrange(int n) {
        return randbelow(n);
    }

    /** {@code shuffle(list)}, in place. */
    public <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = randbelow(i + 1);
            T swap = list.get(i);
            list.set(i, list.get(j));
            list.set(j, swap);
        }
    }

    /** {@code sample(population, k)}, including CPython's switch between its two selection methods. */
    public <T> List<T> sample(List<T> population, int k) {
        int n = population.size();
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("sample larger than population or is negative");
        }
        List<T> result = new ArrayList<>(k);
        int setSize = 21;
        if (k > 5) {
            setSize += (int) Math.pow(4, Math.ceil(Math.log(k * 3.0) / Math.log(4)));
        }
        if (n <= setSize) {
            List<T> pool = new ArrayList<>(population);
            for (int i = 0; i < k; i++) {
                int j = randbelow(n - i);
                result.add(pool.get(j));
                pool.set(j, pool.get(n - i - 1));
            }
        } else {
            Set<Integer> selected = new HashSet<>();
            for (int i = 0; i < k; i++) {
                int j = randbelow(n);
                while (selected.contains(j)) {
                    j = randbelow(n);
                }
                selected.add(j);
                result.add(population.get(j));
            }
        }
        return result;
    }

    /** {@code choices(population)[0]}: one element, uniformly, with equal weights. */
    public <T> T choice(List<T> population) {
        return population.get((int) Math.floor(random() * population.size()));
    }

    private static int[] keyOf(BigInteger seed) {
        if (seed.signum() == 0) {
            return new int[] {0};
        }
        int words = (seed.bitLength() + 31) / 32;
        int[] key = new int[words];
        for (int i = 0; i < words; i++) {
            key[i] = seed.shiftRight(32 * i).intValue();
        }
        return key;
    }

    private void initGenrand(int seed) {
        state[0] = seed;
        for (int i = 1; i < N; i++) {
            state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    private void seedWithKey(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                state[0] = state[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                state[0] = state[N - 1];
                i = 1;
            }
        }
        state[0] = 0x80000000;
        index = N;
    }

    private int nextInt() {
        if (index >= N) {
            twist();
        }
        int y = state[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (state[k] & 0x80000000) | (state[(k + 1) % N] & 0x7fffffff);
            int next = state[(k + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) {
                next ^= 0x9908b0df;
            }
            state[k] = next;
        }
        index = 0;
    }
}
