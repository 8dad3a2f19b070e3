package ai.assay.reference.lmeval.filters;

import ai.assay.reference.python.PyStrings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code word2number}'s {@code w2n.word_to_num} as release 1.1 (the one on PyPI, of June 2017) computes it, for the
 * texts {@link BbhZeroshotFilters.NumberParseRegex} hands it: runs of English number words, whitespace, commas,
 * {@code and} and {@code &}. Hand-written: the library is Python only.
 *
 * <p>Its rules, odd ones included: the text is split on whitespace and every part that is not exactly a number
 * word is dropped ({@code "one,"}, {@code "and"}, {@code "trillion"}); no part left, or {@code thousand},
 * {@code million} or {@code billion} twice, or out of order, is a {@code ValueError}. A number word alone is its
 * value. Otherwise the parts before {@code billion}, between it and {@code million}, and between that and
 * {@code thousand} are each read as a multiplier, and the parts after the last scale word as the rest; each group
 * of four words is {@code a * b + c + d}, of three {@code a * b + c}, of two {@code a * b} when one is
 * {@code hundred} and {@code a + b} otherwise, and of one or of five and more its first word's value, so
 * {@code "twenty one hundred"} is 2 100 and {@code "one two three four five"} is 1. An empty group ({@code "thousand
 * five"}) is upstream's {@code IndexError}. Release 1.1 predates the repository's 2018 fix: where {@code thousand}
 * ends a text that has {@code million}, the rest after {@code million} is read with the {@code thousand} in it, so
 * {@code "two million five thousand"} is 2 006 005 (5 000 + 1 005 over the millions).
 *
 * <p>The digit strings, hyphens and {@code point} decimals that {@code word_to_num} also reads never occur in such
 * text and are not reproduced.
 */
final class WordToNumber {

    private static final Map<String, Long> VALUES = Map.ofEntries(
            Map.entry("zero", 0L),
            Map.entry("one", 1L),
            Map.entry("two", 2L),
            Map.entry("three", 3L),
            Map.entry("four", 4L),
            Map.entry("five", 5L),
            Map.entry("six", 6L),
            Map.entry("seven", 7L),
            Map.entry("eight", 8L),
            Map.entry("nine", 9L),
            Map.entry("ten", 10L),
            Map.entry("eleven", 11L),
            Map.entry("twelve", 12L),
            Map.entry("thirteen", 13L),
            Map.entry("fourteen", 14L),
            Map.entry("fifteen", 15L),
            Map.entry("sixteen", 16L),
            Map.entry("seventeen", 17L),
            Map.entry("eighteen", 18L),
            Map.entry("nineteen", 19L),
            Map.entry("twenty", 20L),
            Map.entry("thirty", 30L),
            Map.entry("forty", 40L),
            Map.entry("fifty", 50L),
            Map.entry("sixty", 60L),
            Map.entry("seventy", 70L),
            Map.entry("eighty", 80L),
            Map.entry("ninety", 90L),
            Map.entry("hundred", 100L),
            Map.entry("thousand", 1_000L),
            Map.entry("million", 1_000_000L),
            Map.entry("billion", 1_000_000_000L));

    private WordToNumber() {}

    /**
     * @param text a run of number words, as the number-words pattern finds it in lower-cased text
     * @throws IllegalArgumentException where upstream raises ({@code ValueError}, {@code IndexError})
     */
    static long wordToNum(String text) {
        List<String> words = new ArrayList<>();
        for (String part : PyStrings.split(PyStrings.strip(PyStrings.lower(text)), null, -1)) {
            if (VALUES.containsKey(part)) {
                words.add(part);
            }
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException(
                    "word2number: no valid number words in " + PyStrings.repr(text) + " (upstream: ValueError)");
        }
        for (String scale : List.of("thousand", "million", "billion")) {
            if (Collections.frequency(words, scale) > 1) {
                throw new IllegalArgumentException(
                        "word2number: " + scale + " twice in " + PyStrings.repr(text) + " (upstream: ValueError)");
            }
        }
        int billion = words.indexOf("billion");
        int million = words.indexOf("million");
        int thousand = words.indexOf("thousand");
        if ((thousand > -1 && (thousand < million || thousand < billion)) || (million > -1 && million < billion)) {
            throw new IllegalArgumentException(
                    "word2number: malformed number " + PyStrings.repr(text) + " (upstream: ValueError)");
        }
        if (words.size() == 1) {
            return VALUES.get(words.get(0));
        }
        int last = words.size() - 1;
        long total = 0;
        if (billion > -1) {
            total = Math.addExact(total, Math.multiplyExact(group(words, 0, billion), 1_000_000_000L));
        }
        if (million > -1) {
            long multiplier = billion > -1 ? group(words, billion + 1, million) : group(words, 0, million);
            total = Math.addExact(total, Math.multiplyExact(multiplier, 1_000_000L));
        }
        if (thousand > -1) {
            long multiplier;
            if (million > -1) {
                multiplier = group(words, million + 1, thousand);
            } else if (billion > -1) {
                multiplier = group(words, billion + 1, thousand);
            } else {
                multiplier = group(words, 0, thousand);
            }
            total = Math.addExact(total, Math.multiplyExact(multiplier, 1_000L));
        }
        long rest;
        if (thousand > -1 && thousand != last) {
            rest = group(words, thousand + 1, words.size());
        } else if (million > -1 && million != last) {
            rest = group(words, million + 1, words.size());
        } else if (billion > -1 && billion != last) {
            rest = group(words, billion + 1, words.size());
        } else if (thousand == -1 && million == -1 && billion == -1) {
            rest = group(words, 0, words.size());
        } else {
            rest = 0;
        }
        return Math.addExact(total, rest);
    }

    /** {@code number_formation(words[from:to])}. */
    private static long group(List<String> words, int from, int to) {
        List<Long> numbers = words.subList(from, Math.max(from, to)).stream()
                .map(VALUES::get)
                .toList();
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException("word2number: a scale word with no number before it in "
                    + String.join(" ", words) + " (upstream: IndexError)");
        }
        return switch (numbers.size()) {
            case 4 -> numbers.get(0) * numbers.get(1) + numbers.get(2) + numbers.get(3);
            case 3 -> numbers.get(0) * numbers.get(1) + numbers.get(2);
            case 2 -> numbers.contains(100L) ? numbers.get(0) * numbers.get(1) : numbers.get(0) + numbers.get(1);
            default -> numbers.get(0);
        };
    }
}
