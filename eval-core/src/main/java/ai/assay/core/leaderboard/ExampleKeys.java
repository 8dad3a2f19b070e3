package ai.assay.core.leaderboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The canonical order of example ids, which every per-example array and every bootstrap resample follows: numeric
 * ids ascending when all ids are integers (AlpacaEval's eval-set indexes), else lexicographic.
 */
final class ExampleKeys {

    private ExampleKeys() {}

    static Comparator<String> order(List<String> keys) {
        boolean numeric = keys.stream().allMatch(ExampleKeys::isInteger);
        return numeric ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder();
    }

    /** SHA-256 of the ids in canonical order, one per line: equal for equal example sets. */
    static String setHash(String[] canonicalKeys) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String key : canonicalKeys) {
                digest.update(key.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isInteger(String key) {
        if (key.isEmpty() || key.length() > 18) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-' && key.length() > 1)) {
                return false;
            }
        }
        return true;
    }
}
