package ai.assay.reference.lmeval.ifeval;

import ai.assay.reference.python.PyRandom;
import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kwargs of one instruction as {@code build_description} receives them. lm-eval's {@code utils.py} keeps only the
 * truthy values ({@code {k: v for k, v in kwargs.items() if v}}): {@code None}, {@code 0}, {@code ""}, {@code []} and
 * {@code False} are dropped, so a checker then falls back to its default.
 * <p>Where upstream's default is a random draw ({@code random.randint}, {@code random.choice} on Python's global,
 * unseeded-for-this-purpose generator), the draw here comes from a fresh {@code random.Random(0)} ({@link PyRandom})
 * per instruction, so a row that lacks an argument scores the same every time. Upstream's draw depends on whatever
 * used the global generator before and cannot be reproduced; the dataset's rows that reach a draw are named in
 * docs/tasks.md (IFEval). The defaults drawn from upstream's keyword list are not reproduced: such a row is refused.
 */
final class InstructionArguments {

    private final String id;
    private final Map<String, Object> values;
    private final PunktSentences sentences;
    private final PyRandom random = new PyRandom(0);

    private InstructionArguments(String id, Map<String, Object> values, PunktSentences sentences) {
        this.id = id;
        this.values = values;
        this.sentences = sentences;
    }

    static InstructionArguments of(String id, Map<String, Object> kwargs, PunktSentences sentences) {
        Map<String, Object> truthy = new LinkedHashMap<>();
        kwargs.forEach((name, value) -> {
            if (isTruthy(value)) {
                truthy.put(name, value);
            }
        });
        return new InstructionArguments(id, truthy, sentences);
    }

    private static boolean isTruthy(Object value) {
        if (value == null || value == PyValues.NONE) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number number) {
            return number.doubleValue() != 0;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        return true;
    }

    /** Python's {@code TypeError} for a keyword the checker's {@code build_description} does not take. */
    void accept(Set<String> names) {
        for (String name : values.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException(
                        "%s takes no argument %s (lm-eval raises TypeError)".formatted(id, name));
            }
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Integer integer(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return Math.toIntExact(number.longValue());
        }
        throw new IllegalArgumentException("%s: %s must be an integer, not %s".formatted(id, name, value));
    }

    String text(String name) {
        Object value = values.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException("%s: %s must be a string, not %s".formatted(id, name, value));
    }

    List<String> texts(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        if (value instanceof Collection<?> c) {
            for (Object element : c) {
                if (!(element instanceof String s)) {
                    throw new IllegalArgumentException("%s: %s must hold strings".formatted(id, name));
                }
                texts.add(s);
            }
            return texts;
        }
        throw new IllegalArgumentException("%s: %s must be a list of strings, not %s".formatted(id, name, value));
    }

    /** {@code random.randint(low, high)}, both ends included. */
    int randint(int low, int high) {
        return low + random.randbelow(high - low + 1);
    }

    /** {@code random.choice(options)}. */
    <T> T choice(List<T> options) {
        return options.get(random.randbelow(options.size()));
    }

    /** A default upstream draws from its keyword list ({@code generate_keywords}), which Assay does not reproduce. */
    IllegalArgumentException keywordListDefault(String name) {
        return new IllegalArgumentException(
                ("%s has no %s; lm-eval would draw one from its own word list, which is not" + " reproduced")
                        .formatted(id, name));
    }

    String id() {
        return id;
    }

    /** The Punkt model the sentence-based checkers count with. */
    PunktSentences sentences() {
        return sentences;
    }
}
