package ai.assay.reference.lmeval.ifeval;

import ai.assay.reference.python.PyPatterns;
import ai.assay.reference.python.PyStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nltk's word tokenizers as IFEval counts with them, hand-written because no Java library reproduces them:
 * <ul>
 *   <li>{@link #countWords}: {@code RegexpTokenizer(r"\w+")}, the runs of Python word characters
 *       ({@code length_constraints:number_words});
 *   <li>{@link #wordTokenize}: {@code nltk.word_tokenize}, that is {@code sent_tokenize} (Punkt,
 *       {@link PunktSentences}) and then {@code NLTKWordTokenizer} (the improved Treebank tokenizer) on each sentence
 *       ({@code change_case:capital_word_frequency}).
 * </ul>
 * The Treebank rules are those of nltk 3.8 to 3.9.2 ({@code nltk/tokenize/destructive.py}), applied in nltk's order
 * with Python's regex semantics ({@link PyPatterns}): starting quotes, punctuation, brackets, double dashes, then,
 * on the text padded with a space each side, ending quotes and the clitics; the tokens are the whitespace-separated
 * pieces. nltk's development line after 3.9.2 also splits dashes U+2012..U+2015 off, collapses whitespace runs and
 * rewrites the leading-apostrophe rule; those are not reproduced (docs/tasks.md, IFEval).
 */
final class NltkWords {

    private static final Pattern WORD_RUN = PyPatterns.compile("\\w+");

    private record Rule(Pattern pattern, String replacement) {
        static Rule of(String python, String javaReplacement) {
            return new Rule(PyPatterns.compile(python), javaReplacement);
        }

        static Rule ignoringCase(String python, String javaReplacement) {
            return new Rule(PyPatterns.compileIgnoringCase(python), javaReplacement);
        }

        String apply(String text) {
            return pattern.matcher(text).replaceAll(replacement);
        }
    }

    private static final List<Rule> STARTING_QUOTES = List.of(
            Rule.of("([«“‘„]|[`]+)", " $1 "),
            Rule.of("^\"", "``"),
            Rule.of("(``)", " $1 "),
            Rule.of("([ \\(\\[{<])(\"|'{2})", "$1 `` "),
            Rule.ignoringCase("(')(?!re|ve|ll|m|t|s|d|n)(\\w)\\b", "$1 $2"));

    private static final List<Rule> PUNCTUATION = List.of(
            Rule.of("([^\\.])(\\.)([\\]\\)}>\"'»”’ ]*)\\s*$", "$1 $2 $3 "),
            Rule.of("([:,])([^\\d])", " $1 $2"),
            Rule.of("([:,])$", " $1 "),
            Rule.of("\\.{2,}", " $0 "),
            Rule.of("[;@#$%&]", " $0 "),
            Rule.of("([^\\.])(\\.)([\\]\\)}>\"']*)\\s*$", "$1 $2$3 "),
            Rule.of("[?!]", " $0 "),
            Rule.of("([^'])' ", "$1 ' "),
            Rule.of("[*]", " $0 "),
            Rule.of("[\\]\\[\\(\\)\\{\\}\\<\\>]", " $0 "),
            Rule.of("--", " -- "));

    private static final List<Rule> ENDING_QUOTES = List.of(
            Rule.of("([»”’])", " $1 "),
            Rule.of("''", " '' "),
            Rule.of("\"", " '' "),
            Rule.of("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 "),
            Rule.of("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 "));

    /** MacIntyre's contractions that nltk splits (its third list, "whaddya" and "whatcha", it leaves alone). */
    private static final List<Rule> CONTRACTIONS = List.of(
            Rule.ignoringCase("\\b(can)(not)\\b", " $1 $2 "),
            Rule.ignoringCase("\\b(d)('ye)\\b", " $1 $2 "),
            Rule.ignoringCase("\\b(gim)(me)\\b", " $1 $2 "),
            Rule.ignoringCase("\\b(gon)(na)\\b", " $1 $2 "),
            Rule.ignoringCase("\\b(got)(ta)\\b", " $1 $2 "),
            Rule.ignoringCase("\\b(lem)(me)\\b", " $1 $2 "),
            Rule.ignoringCase("\\b(more)('n)\\b", " $1 $2 "),
            Rule.ignoringCase("\\b(wan)(na)(?=\\s)", " $1 $2 "),
            Rule.ignoringCase(" ('t)(is)\\b", " $1 $2 "),
            Rule.ignoringCase(" ('t)(was)\\b", " $1 $2 "));

    private NltkWords() {}

    /** {@code len(RegexpTokenizer(r"\w+").tokenize(text))}. */
    static int countWords(String text) {
        Matcher m = WORD_RUN.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** {@code nltk.word_tokenize(text)} with the given sentence splitter standing for {@code sent_tokenize}. */
    static List<String> wordTokenize(String text, PunktSentences sentences) {
        List<String> tokens = new ArrayList<>();
        for (String sentence : sentences.tokenize(text)) {
            tokens.addAll(treebankTokenize(sentence));
        }
        return tokens;
    }

    /** {@code NLTKWordTokenizer().tokenize(text)}. */
    static List<String> treebankTokenize(String text) {
        for (Rule rule : STARTING_QUOTES) {
            text = rule.apply(text);
        }
        for (Rule rule : PUNCTUATION) {
            text = rule.apply(text);
        }
        text = " " + text + " ";
        for (Rule rule : ENDING_QUOTES) {
            text = rule.apply(text);
        }
        for (Rule rule : CONTRACTIONS) {
            text = rule.apply(text);
        }
        return PyStrings.split(text, null, -1);
    }
}
