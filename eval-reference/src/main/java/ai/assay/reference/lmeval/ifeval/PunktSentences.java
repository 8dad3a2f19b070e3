package ai.assay.reference.lmeval.ifeval;

import ai.assay.reference.python.PyPatterns;
import ai.assay.reference.python.PyStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nltk's Punkt sentence tokenizer ({@code PunktSentenceTokenizer.tokenize}, nltk 3.8 to 3.9.2), which IFEval calls
 * for {@code length_constraints:number_sentences} and, through {@code word_tokenize}, for capital words. Hand-written:
 * no Java library reproduces it. What is reproduced is the tokenizing half of Punkt, with Python's regex semantics:
 * candidate ends ({@code .?!} before punctuation or before whitespace and a token) with nltk's search for the word
 * before each; Punkt's word segmentation per line; the first pass (sentence-end characters, ellipses, known
 * abbreviations, other period-final tokens); the second pass (collocations, the orthographic heuristic, initials and
 * numbers, frequent sentence starters); the slices and the realignment of closing quotes and brackets.
 * <p>The decisions also rest on trained parameters: abbreviations, collocations, sentence starters and orthographic
 * contexts. lm-eval uses nltk's English model, which is data nltk downloads and which Assay does not ship; without it
 * ({@link #untrained()}) no word is a known abbreviation, so "Dr. Smith" and "e.g. this" end a sentence where the
 * English model would not. {@link #fromPunktTab(Path)} reads the model nltk 3.9 keeps ({@code punkt_tab/english/})
 * where a deployment has it, and then the count is nltk's. docs/tasks.md (IFEval) says how often the two differ.
 */
public final class PunktSentences {

    /** Punkt's trained parameters (nltk's {@code PunktParameters}); an absent orthographic context is 0. */
    public record Parameters(
            Set<String> abbreviations,
            Set<List<String>> collocations,
            Set<String> sentenceStarters,
            Map<String, Integer> orthographicContexts) {

        public static Parameters none() {
            return new Parameters(Set.of(), Set.of(), Set.of(), Map.of());
        }
    }

    private static final int ORTHO_BEG_UC = 1 << 1;
    private static final int ORTHO_MID_UC = 1 << 2;
    private static final int ORTHO_UNK_UC = 1 << 3;
    private static final int ORTHO_BEG_LC = 1 << 4;
    private static final int ORTHO_MID_LC = 1 << 5;
    private static final int ORTHO_UNK_LC = 1 << 6;
    private static final int ORTHO_UC = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC;
    private static final int ORTHO_LC = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC;

    private static final String NON_WORD = "(?:[)\\\";}\\]\\*:@\\'\\({\\[?!])";
    private static final String MULTI_CHAR = "(?:\\-{2,}|\\.{2,}|(?:\\.\\s){2,}\\.)";
    private static final String WORD_START = "[^\\(\\\"\\`{\\[:;&\\#\\*@\\)}\\]\\-,]";
    private static final Pattern WORD = PyPatterns.compile(MULTI_CHAR + "|(?=" + WORD_START + ")\\S+?(?=\\s|$|"
            + NON_WORD + "|" + MULTI_CHAR + "|,(?=$|\\s|" + NON_WORD + "|" + MULTI_CHAR + "))|\\S");
    private static final Pattern PERIOD_CONTEXT =
            PyPatterns.compile("[\\.\\?!](?=(?P<after>" + NON_WORD + "|\\s+(?P<next>\\S+)))");
    private static final Pattern BOUNDARY_REALIGNMENT = PyPatterns.compileMultiline("[\"')\\]}]+?(?:\\s+|(?=--)|$)");
    private static final Pattern NUMERIC = PyPatterns.compile("^-?[\\.,]?\\d[\\d,\\.-]*\\.?$");
    private static final Pattern INITIAL = Pattern.compile("[\\p{L}\\p{Nl}\\p{No}_]\\.\\n?");
    private static final Set<String> SENTENCE_END = Set.of(".", "?", "!");
    private static final Set<String> PUNCTUATION = Set.of(";", ":", ",", ".", "!", "?");
    private static final String ASCII_WHITESPACE = " \t\n\r\u000B\f";

    private final Parameters parameters;

    private PunktSentences(Parameters parameters) {
        this.parameters = parameters;
    }

    /** Punkt without a trained model (nltk's {@code PunktSentenceTokenizer()}). */
    public static PunktSentences untrained() {
        return new PunktSentences(Parameters.none());
    }

    public static PunktSentences withParameters(Parameters parameters) {
        return new PunktSentences(parameters);
    }

    /**
     * A model in nltk's {@code punkt_tab} layout: {@code abbrev_types.txt}, {@code sent_starters.txt} (a type per
     * line), {@code collocations.tab} (two types per line, tab-separated), {@code ortho_context.tab} (type, tab,
     * flags).
     */
    public static PunktSentences fromPunktTab(Path directory) {
        try {
            Set<String> abbreviations = new HashSet<>(lines(directory.resolve("abbrev_types.txt")));
            Set<String> starters = new HashSet<>(lines(directory.resolve("sent_starters.txt")));
            Set<List<String>> collocations = new HashSet<>();
            for (String line : lines(directory.resolve("collocations.tab"))) {
                String[] pair = line.split("\t", -1);
                collocations.add(List.of(pair[0], pair[1]));
            }
            Map<String, Integer> ortho = new HashMap<>();
            for (String line : lines(directory.resolve("ortho_context.tab"))) {
                String[] entry = line.split("\t", -1);
                ortho.put(entry[0], Integer.parseInt(entry[1].strip()));
            }
            return new PunktSentences(new Parameters(abbreviations, collocations, starters, ortho));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isEmpty())
                .toList();
    }

    /** {@code tokenize(text)}: the sentences, realigned. */
    public List<String> tokenize(String text) {
        List<int[]> slices = realign(text, slices(text));
        List<String> sentences = new ArrayList<>();
        for (int[] slice : slices) {
            sentences.add(slice(text, slice[0], slice[1]));
        }
        return sentences;
    }

    /** {@code len(tokenize(text))}. */
    public int count(String text) {
        return tokenize(text).size();
    }

    private final class Token {
        final String tok;
        final String type;
        final boolean periodFinal;
        boolean sentbreak;
        boolean abbr;
        boolean ellipsis;

        Token(String tok) {
            this.tok = tok;
            String lower = PyStrings.lower(tok);
            this.type = NUMERIC.matcher(lower).find() ? "##number##" : lower;
            this.periodFinal = tok.endsWith(".");
        }

        String typeNoPeriod() {
            return type.length() > 1 && type.endsWith(".") ? type.substring(0, type.length() - 1) : type;
        }

        String typeNoSentPeriod() {
            return sentbreak ? typeNoPeriod() : type;
        }

        String first() {
            return tok.substring(0, Character.charCount(tok.codePointAt(0)));
        }

        boolean firstUpper() {
            return PyStrings.isUpper(first());
        }

        boolean firstLower() {
            return PyStrings.isLower(first());
        }

        boolean isEllipsis() {
            int i = 0;
            while (i < tok.length() && tok.charAt(i) == '.') {
                i++;
            }
            return i >= 2 && (i == tok.length() || (i == tok.length() - 1 && tok.charAt(i) == '\n'));
        }

        boolean isInitial() {
            return INITIAL.matcher(tok).matches();
        }
    }

    private List<Token> words(String text) {
        List<Token> tokens = new ArrayList<>();
        for (String line : PyStrings.split(text, "\n", -1)) {
            if (PyStrings.strip(line).isEmpty()) {
                continue;
            }
            Matcher m = WORD.matcher(line);
            while (m.find()) {
                tokens.add(new Token(m.group()));
            }
        }
        return tokens;
    }

    private void firstPass(Token token) {
        String tok = token.tok;
        if (SENTENCE_END.contains(tok)) {
            token.sentbreak = true;
        } else if (token.isEllipsis()) {
            token.ellipsis = true;
        } else if (token.periodFinal && !tok.endsWith("..")) {
            String stem = PyStrings.lower(tok.substring(0, tok.length() - 1));
            String[] parts = stem.split("-", -1);
            if (parameters.abbreviations().contains(stem)
                    || parameters.abbreviations().contains(parts[parts.length - 1])) {
                token.abbr = true;
            } else {
                token.sentbreak = true;
            }
        }
    }

    private void secondPass(Token first, Token next) {
        if (!first.periodFinal) {
            return;
        }
        String type = first.typeNoPeriod();
        String nextType = next.typeNoSentPeriod();
        boolean initial = first.isInitial();
        if (parameters.collocations().contains(List.of(type, nextType))) {
            first.sentbreak = false;
            first.abbr = true;
            return;
        }
        if ((first.abbr || first.ellipsis) && !initial) {
            Boolean starter = orthographicHeuristic(next);
            if (Boolean.TRUE.equals(starter)) {
                first.sentbreak = true;
                return;
            }
            if (next.firstUpper() && parameters.sentenceStarters().contains(nextType)) {
                first.sentbreak = true;
                return;
            }
        }
        if (initial || type.equals("##number##")) {
            Boolean starter = orthographicHeuristic(next);
            if (Boolean.FALSE.equals(starter)) {
                first.sentbreak = false;
                first.abbr = true;
                return;
            }
            if (starter == null && initial && next.firstUpper() && (ortho(nextType) & ORTHO_LC) == 0) {
                first.sentbreak = false;
                first.abbr = true;
            }
        }
    }

    /** True, false, or null for nltk's "unknown". */
    private Boolean orthographicHeuristic(Token token) {
        if (PUNCTUATION.contains(token.tok)) {
            return false;
        }
        int context = ortho(token.typeNoSentPeriod());
        if (token.firstUpper() && (context & ORTHO_LC) != 0 && (context & ORTHO_MID_UC) == 0) {
            return true;
        }
        if (token.firstLower() && ((context & ORTHO_UC) != 0 || (context & ORTHO_BEG_LC) == 0)) {
            return false;
        }
        return null;
    }

    private int ortho(String type) {
        return parameters.orthographicContexts().getOrDefault(type, 0);
    }

    private boolean containsSentenceBreak(String context) {
        List<Token> tokens = words(context);
        for (Token token : tokens) {
            firstPass(token);
        }
        boolean found = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (i + 1 < tokens.size()) {
                secondPass(token, tokens.get(i + 1));
            }
            if (found) {
                return true;
            }
            if (token.sentbreak) {
                found = true;
            }
        }
        return false;
    }

    /** A candidate end: the match of the period context and the text Punkt decides on. */
    private record Candidate(int end, int nextStart, String context) {}

    private List<Candidate> candidates(String text) {
        List<Candidate> candidates = new ArrayList<>();
        int previousStart = 0;
        int previousStop = 0;
        Candidate previous = null;
        Matcher m = PERIOD_CONTEXT.matcher(text);
        while (m.find()) {
            String before = slice(text, previousStop, m.start());
            int lastSpace = lastWhitespaceIndex(before);
            int wordStart = lastSpace != 0 ? lastSpace + previousStop + 1 : previousStart;
            if (previous != null && previousStop <= wordStart) {
                candidates.add(previous);
            }
            String context = slice(text, wordStart, m.start()) + m.group() + m.group("after");
            previous = new Candidate(m.end(), m.group("next") != null ? m.start("next") : -1, context);
            previousStart = wordStart;
            previousStop = m.start();
        }
        if (previous != null) {
            candidates.add(previous);
        }
        return candidates;
    }

    private static int lastWhitespaceIndex(String text) {
        for (int i = text.length() - 1; i >= 0; i--) {
            if (ASCII_WHITESPACE.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return 0;
    }

    private List<int[]> slices(String text) {
        List<int[]> slices = new ArrayList<>();
        int lastBreak = 0;
        for (Candidate candidate : candidates(text)) {
            if (containsSentenceBreak(candidate.context())) {
                slices.add(new int[] {lastBreak, candidate.end()});
                lastBreak = candidate.nextStart() >= 0 ? candidate.nextStart() : candidate.end();
            }
        }
        slices.add(new int[] {lastBreak, PyStrings.rstrip(text).length()});
        return slices;
    }

    private static List<int[]> realign(String text, List<int[]> slices) {
        List<int[]> realigned = new ArrayList<>();
        int realign = 0;
        for (int i = 0; i < slices.size(); i++) {
            int[] first = {slices.get(i)[0] + realign, slices.get(i)[1]};
            if (i + 1 == slices.size()) {
                if (!slice(text, first[0], first[1]).isEmpty()) {
                    realigned.add(first);
                }
                continue;
            }
            int[] second = slices.get(i + 1);
            Matcher m = BOUNDARY_REALIGNMENT.matcher(slice(text, second[0], second[1]));
            if (m.lookingAt()) {
                realigned.add(new int[] {
                    first[0], second[0] + PyStrings.rstrip(m.group()).length()
                });
                realign = m.end();
            } else {
                realign = 0;
                if (!slice(text, first[0], first[1]).isEmpty()) {
                    realigned.add(first);
                }
            }
        }
        return realigned;
    }

    /** Python's {@code text[start:stop]} for non-negative bounds: clipped, and empty where start passes stop. */
    private static String slice(String text, int start, int stop) {
        int to = Math.min(stop, text.length());
        int from = Math.min(start, to);
        return text.substring(from, to);
    }
}
