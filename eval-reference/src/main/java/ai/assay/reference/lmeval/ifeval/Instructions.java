package ai.assay.reference.lmeval.ifeval;

import ai.assay.reference.python.PyJsonSyntax;
import ai.assay.reference.python.PyPatterns;
import ai.assay.reference.python.PyStrings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The 25 instruction checkers of lm-eval's IFEval ({@code lm_eval/tasks/ifeval/instructions.py}), keyed by the ids of
 * {@code instructions_registry.INSTRUCTION_DICT}. Each record holds what {@code build_description(**kwargs)} keeps
 * and answers {@code check_following(value)} as upstream does: the same regular expressions with Python's semantics
 * ({@link PyPatterns}; keywords, forbidden words, section splitters and other postscript markers are used as
 * regular expressions there too), the same comparisons ({@code less than} is {@code <}, {@code at least} is
 * {@code >=}), the same stripping and case handling ({@code str.strip}, {@code lower}, {@code isupper}).
 * <p>lm-eval's {@code utils.py} calls {@code build_description} a second time with {@code prompt=} where the
 * instruction's arguments name a {@code prompt}; none of the 25 does ({@code combination:repeat_prompt} takes
 * {@code prompt_to_repeat} from its kwargs), so that call never happens.
 */
public final class Instructions {

    private static final List<String> RELATIONS = List.of("less than", "at least");

    /** {@code instructions_util.LANGUAGE_CODES}'s keys, in its order. */
    private static final List<String> LANGUAGES = List.of(
            "en", "es", "pt", "ar", "hi", "fr", "ru", "de", "ja", "it", "bn", "uk", "th", "ur", "ta", "te", "bg", "ko",
            "pl", "he", "fa", "vi", "ne", "sw", "kn", "mr", "gu", "pa", "ml", "fi");

    private static final List<String> ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            .chars()
            .mapToObj(c -> String.valueOf((char) c))
            .toList();

    private static final Map<String, Function<InstructionArguments, Instruction>> REGISTRY = registry();

    private Instructions() {}

    /** Every registry id, in upstream's order. */
    public static Set<String> ids() {
        return REGISTRY.keySet();
    }

    /**
     * {@code INSTRUCTION_DICT[id](id).build_description(**kwargs)} with the falsy kwargs dropped.
     *
     * @throws IllegalArgumentException for an unknown id, an argument the checker does not take, an invalid relation,
     *     a missing {@code prompt_to_repeat} or language outside upstream's table (where lm-eval raises), or a
     *     missing keyword that upstream would draw from its word list
     */
    public static Instruction build(String id, Map<String, Object> kwargs) {
        return build(id, kwargs, PunktSentences.untrained());
    }

    /** {@link #build(String, Map)} with the Punkt model that counts sentences (and splits them for word tokens). */
    public static Instruction build(String id, Map<String, Object> kwargs, PunktSentences sentences) {
        Function<InstructionArguments, Instruction> factory = REGISTRY.get(id);
        if (factory == null) {
            throw new IllegalArgumentException("no IFEval instruction " + id);
        }
        return factory.apply(InstructionArguments.of(id, kwargs, sentences));
    }

    private static Map<String, Function<InstructionArguments, Instruction>> registry() {
        Map<String, Function<InstructionArguments, Instruction>> r = new LinkedHashMap<>();
        r.put("keywords:existence", KeywordsExist::build);
        r.put("keywords:frequency", KeywordFrequency::build);
        r.put("keywords:forbidden_words", ForbiddenWords::build);
        r.put("keywords:letter_frequency", LetterFrequency::build);
        r.put("language:response_language", ResponseLanguage::build);
        r.put("length_constraints:number_sentences", SentenceCount::build);
        r.put("length_constraints:number_paragraphs", ParagraphCount::build);
        r.put("length_constraints:number_words", WordCount::build);
        r.put("length_constraints:nth_paragraph_first_word", ParagraphFirstWord::build);
        r.put("detectable_content:number_placeholders", Placeholders::build);
        r.put("detectable_content:postscript", Postscript::build);
        r.put("detectable_format:number_bullet_lists", BulletLists::build);
        r.put("detectable_format:constrained_response", args -> {
            args.accept(Set.of());
            return new ConstrainedResponse();
        });
        r.put("detectable_format:number_highlighted_sections", Highlights::build);
        r.put("detectable_format:multiple_sections", Sections::build);
        r.put("detectable_format:json_format", args -> {
            args.accept(Set.of());
            return new JsonFormat();
        });
        r.put("detectable_format:title", args -> {
            args.accept(Set.of());
            return new Title();
        });
        r.put("combination:two_responses", args -> {
            args.accept(Set.of());
            return new TwoResponses();
        });
        r.put("combination:repeat_prompt", RepeatPrompt::build);
        r.put("startend:end_checker", EndPhrase::build);
        r.put("change_case:capital_word_frequency", CapitalWords::build);
        r.put("change_case:english_capital", args -> {
            args.accept(Set.of());
            return new EnglishCapitals();
        });
        r.put("change_case:english_lowercase", args -> {
            args.accept(Set.of());
            return new EnglishLowercase();
        });
        r.put("punctuation:no_comma", args -> {
            args.accept(Set.of());
            return new NoComma();
        });
        r.put("startend:quotation", args -> {
            args.accept(Set.of());
            return new Quotation();
        });
        return Collections.unmodifiableMap(r);
    }

    /** A relation argument: absent is a random choice, anything but the two relations is upstream's ValueError. */
    private static String relationArgument(InstructionArguments args, String name) {
        String relation = args.text(name);
        if (relation == null) {
            return args.choice(RELATIONS);
        }
        if (!RELATIONS.contains(relation)) {
            throw new IllegalArgumentException(
                    "%s: the relation must be one of %s, not %s".formatted(args.id(), RELATIONS, relation));
        }
        return relation;
    }

    /** A count argument: absent or negative is {@code random.randint(low, high)}. */
    private static int countArgument(InstructionArguments args, String name, int low, int high) {
        Integer value = args.integer(name);
        return value == null || value < 0 ? args.randint(low, high) : value;
    }

    private static boolean compare(int actual, String relation, int threshold) {
        return relation.equals("less than") ? actual < threshold : actual >= threshold;
    }

    private static String stripped(String text) {
        return text == null ? null : PyStrings.strip(text);
    }

    /** {@code keywords:existence}: every keyword (a regex, case-insensitive) is found. */
    public record KeywordsExist(List<String> keywords) implements Instruction {
        static KeywordsExist build(InstructionArguments args) {
            args.accept(Set.of("keywords"));
            List<String> keywords = args.texts("keywords");
            if (keywords == null) {
                throw args.keywordListDefault("keywords");
            }
            return new KeywordsExist(keywords.stream().sorted().toList());
        }

        @Override
        public String id() {
            return "keywords:existence";
        }

        @Override
        public boolean isFollowedBy(String response) {
            for (String keyword : keywords) {
                if (!PyPatterns.compileIgnoringCase(keyword).matcher(response).find()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code keywords:frequency}: the number of matches of the keyword (a regex, case-insensitive). */
    public record KeywordFrequency(String keyword, int frequency, String relation) implements Instruction {
        static KeywordFrequency build(InstructionArguments args) {
            args.accept(Set.of("keyword", "frequency", "relation"));
            String keyword = args.text("keyword");
            if (keyword == null) {
                throw args.keywordListDefault("keyword");
            }
            int frequency = countArgument(args, "frequency", 1, 3);
            return new KeywordFrequency(PyStrings.strip(keyword), frequency, relationArgument(args, "relation"));
        }

        @Override
        public String id() {
            return "keywords:frequency";
        }

        @Override
        public boolean isFollowedBy(String response) {
            int occurrences = PyPatterns.count(PyPatterns.compileIgnoringCase(keyword), response);
            return compare(occurrences, relation, frequency);
        }
    }

    /** {@code keywords:forbidden_words}: no word is found between {@code \b} boundaries, case-insensitive. */
    public record ForbiddenWords(List<String> words) implements Instruction {
        static ForbiddenWords build(InstructionArguments args) {
            args.accept(Set.of("forbidden_words"));
            List<String> words = args.texts("forbidden_words");
            if (words == null) {
                throw args.keywordListDefault("forbidden_words");
            }
            return new ForbiddenWords(List.copyOf(new TreeSet<>(words)));
        }

        @Override
        public String id() {
            return "keywords:forbidden_words";
        }

        @Override
        public boolean isFollowedBy(String response) {
            for (String word : words) {
                if (PyPatterns.compileIgnoringCase("\\b" + word + "\\b")
                        .matcher(response)
                        .find()) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * {@code keywords:letter_frequency}: occurrences of the letter in the lowered response. A letter that is not one
     * ASCII letter is replaced upstream by a random one (the dataset has {@code #} and {@code !}).
     */
    public record LetterFrequency(String letter, int frequency, String relation) implements Instruction {
        static LetterFrequency build(InstructionArguments args) {
            args.accept(Set.of("letter", "let_frequency", "let_relation"));
            String letter = args.text("letter");
            boolean ascii = letter != null && PyStrings.length(letter) == 1 && isAsciiLetter(letter);
            String chosen = ascii ? PyStrings.strip(letter) : args.choice(ASCII_LETTERS);
            int frequency = countArgument(args, "let_frequency", 1, 10);
            return new LetterFrequency(PyStrings.lower(chosen), frequency, relationArgument(args, "let_relation"));
        }

        private static boolean isAsciiLetter(String letter) {
            String lower = PyStrings.lower(letter);
            if (PyStrings.length(lower) != 1) {
                throw new IllegalArgumentException("ord() of " + lower + " (lm-eval raises TypeError)");
            }
            int c = lower.codePointAt(0);
            return c >= 'a' && c <= 'z';
        }

        @Override
        public String id() {
            return "keywords:letter_frequency";
        }

        @Override
        public boolean isFollowedBy(String response) {
            int target = letter.codePointAt(0);
            int occurrences = (int) PyStrings.lower(response)
                    .codePoints()
                    .filter(c -> c == target)
                    .count();
            return compare(occurrences, relation, frequency);
        }
    }

    /**
     * {@code language:response_language}: {@code langdetect.detect(response) == language}; a text without features
     * (upstream's {@code LangDetectException}) counts as followed.
     */
    public record ResponseLanguage(String language) implements Instruction {
        static ResponseLanguage build(InstructionArguments args) {
            args.accept(Set.of("language"));
            String language = args.text("language");
            if (language == null) {
                language = args.choice(LANGUAGES);
            }
            if (!LANGUAGES.contains(language)) {
                throw new IllegalArgumentException(
                        "language:response_language knows no language " + language + " (lm-eval raises KeyError)");
            }
            return new ResponseLanguage(language);
        }

        @Override
        public String id() {
            return "language:response_language";
        }

        @Override
        public boolean isFollowedBy(String response) {
            Optional<String> detected = LanguageDetection.detect(response);
            return detected.isEmpty() || detected.get().equals(language);
        }
    }

    /** {@code length_constraints:number_sentences}: nltk Punkt's sentence count ({@link PunktSentences}). */
    public record SentenceCount(int sentences, String relation, PunktSentences punkt) implements Instruction {
        static SentenceCount build(InstructionArguments args) {
            args.accept(Set.of("num_sentences", "relation"));
            int sentences = countArgument(args, "num_sentences", 1, 20);
            return new SentenceCount(sentences, relationArgument(args, "relation"), args.sentences());
        }

        @Override
        public String id() {
            return "length_constraints:number_sentences";
        }

        @Override
        public boolean isFollowedBy(String response) {
            return compare(punkt.count(response), relation, sentences);
        }
    }

    /**
     * {@code length_constraints:number_paragraphs}: exactly that many paragraphs split by {@code \s?\*\*\*\s?}; an
     * empty first or last piece does not count, an empty one inside fails.
     */
    public record ParagraphCount(int paragraphs) implements Instruction {
        private static final Pattern DIVIDER = PyPatterns.compile("\\s?\\*\\*\\*\\s?");

        static ParagraphCount build(InstructionArguments args) {
            args.accept(Set.of("num_paragraphs"));
            return new ParagraphCount(countArgument(args, "num_paragraphs", 1, 5));
        }

        @Override
        public String id() {
            return "length_constraints:number_paragraphs";
        }

        @Override
        public boolean isFollowedBy(String response) {
            List<String> pieces = PyPatterns.split(DIVIDER, response);
            int count = pieces.size();
            for (int i = 0; i < pieces.size(); i++) {
                if (PyStrings.strip(pieces.get(i)).isEmpty()) {
                    if (i == 0 || i == pieces.size() - 1) {
                        count--;
                    } else {
                        return false;
                    }
                }
            }
            return count == paragraphs;
        }
    }

    /** {@code length_constraints:number_words}: the number of {@code \w+} runs. */
    public record WordCount(int words, String relation) implements Instruction {
        static WordCount build(InstructionArguments args) {
            args.accept(Set.of("num_words", "relation"));
            int words = countArgument(args, "num_words", 100, 500);
            return new WordCount(words, relationArgument(args, "relation"));
        }

        @Override
        public String id() {
            return "length_constraints:number_words";
        }

        @Override
        public boolean isFollowedBy(String response) {
            return compare(NltkWords.countWords(response), relation, words);
        }
    }

    /**
     * {@code length_constraints:nth_paragraph_first_word}: paragraphs split by {@code \n\n} (blank ones not
     * counted), their number exact, and the nth's first word, without leading quotes and up to the first of
     * {@code . , ? ! ' "}, lowered, equal to the word.
     */
    public record ParagraphFirstWord(int paragraphs, int nth, String firstWord) implements Instruction {
        private static final String PUNCTUATION = ".,?!'\"";

        static ParagraphFirstWord build(InstructionArguments args) {
            args.accept(Set.of("num_paragraphs", "nth_paragraph", "first_word"));
            int paragraphs = countArgument(args, "num_paragraphs", 1, 5);
            Integer nth = args.integer("nth_paragraph");
            if (nth == null || nth <= 0 || nth > paragraphs) {
                nth = args.randint(1, paragraphs + 1);
            }
            String firstWord = args.text("first_word");
            if (firstWord == null) {
                throw args.keywordListDefault("first_word");
            }
            return new ParagraphFirstWord(paragraphs, nth, PyStrings.lower(firstWord));
        }

        @Override
        public String id() {
            return "length_constraints:nth_paragraph_first_word";
        }

        @Override
        public boolean isFollowedBy(String response) {
            List<String> pieces = PyStrings.split(response, "\n\n", -1);
            int count = pieces.size();
            for (String piece : pieces) {
                if (PyStrings.strip(piece).isEmpty()) {
                    count--;
                }
            }
            if (nth > count) {
                return false;
            }
            String paragraph = PyStrings.strip(pieces.get(nth - 1));
            if (paragraph.isEmpty()) {
                return false;
            }
            String word = PyStrings.strip(PyStrings.split(paragraph, null, -1).get(0));
            word = PyStrings.lstrip(PyStrings.lstrip(word, "'"), "\"");
            StringBuilder first = new StringBuilder();
            for (int i = 0; i < word.length(); ) {
                int c = word.codePointAt(i);
                i += Character.charCount(c);
                if (PUNCTUATION.indexOf(c) >= 0) {
                    break;
                }
                first.append(PyStrings.lower(new String(Character.toChars(c))));
            }
            return count == paragraphs && first.toString().equals(firstWord);
        }
    }

    /** {@code detectable_content:number_placeholders}: at least that many {@code \[.*?\]}. */
    public record Placeholders(int placeholders) implements Instruction {
        private static final Pattern PLACEHOLDER = PyPatterns.compile("\\[.*?\\]");

        static Placeholders build(InstructionArguments args) {
            args.accept(Set.of("num_placeholders"));
            return new Placeholders(countArgument(args, "num_placeholders", 1, 4));
        }

        @Override
        public String id() {
            return "detectable_content:number_placeholders";
        }

        @Override
        public boolean isFollowedBy(String response) {
            return PyPatterns.count(PLACEHOLDER, response) >= placeholders;
        }
    }

    /**
     * {@code detectable_content:postscript}: in the lowered response, {@code p.s.} (with optional spaces) for
     * {@code P.S.}, {@code p.p.s} for {@code P.P.S}, any other marker lowered and used as a regex.
     */
    public record Postscript(String marker) implements Instruction {
        static Postscript build(InstructionArguments args) {
            args.accept(Set.of("postscript_marker"));
            String marker = stripped(args.text("postscript_marker"));
            return new Postscript(marker == null ? args.choice(List.of("P.S.", "P.P.S")) : marker);
        }

        @Override
        public String id() {
            return "detectable_content:postscript";
        }

        @Override
        public boolean isFollowedBy(String response) {
            String pattern = switch (marker) {
                case "P.P.S" -> "\\s*p\\.\\s?p\\.\\s?s.*$";
                case "P.S." -> "\\s*p\\.\\s?s\\..*$";
                default -> "\\s*" + PyStrings.lower(marker) + ".*$";
            };
            return PyPatterns.compileMultiline(pattern)
                    .matcher(PyStrings.lower(response))
                    .find();
        }
    }

    /** {@code detectable_format:number_bullet_lists}: exactly that many lines starting with {@code *} or {@code -}. */
    public record BulletLists(int bullets) implements Instruction {
        private static final Pattern STAR = PyPatterns.compileMultiline("^\\s*\\*[^\\*].*$");
        private static final Pattern DASH = PyPatterns.compileMultiline("^\\s*-.*$");

        static BulletLists build(InstructionArguments args) {
            args.accept(Set.of("num_bullets"));
            return new BulletLists(countArgument(args, "num_bullets", 1, 5));
        }

        @Override
        public String id() {
            return "detectable_format:number_bullet_lists";
        }

        @Override
        public boolean isFollowedBy(String response) {
            return PyPatterns.count(STAR, response) + PyPatterns.count(DASH, response) == bullets;
        }
    }

    /** {@code detectable_format:constrained_response}: the stripped response contains one of the three answers. */
    public record ConstrainedResponse() implements Instruction {
        private static final List<String> OPTIONS =
                List.of("My answer is yes.", "My answer is no.", "My answer is maybe.");

        @Override
        public String id() {
            return "detectable_format:constrained_response";
        }

        @Override
        public boolean isFollowedBy(String response) {
            String value = PyStrings.strip(response);
            return OPTIONS.stream().anyMatch(value::contains);
        }
    }

    /**
     * {@code detectable_format:number_highlighted_sections}: the non-blank {@code *...*} spans plus the non-blank
     * {@code **...**} spans (a bold span counts in both searches), at least that many.
     */
    public record Highlights(int highlights) implements Instruction {
        private static final Pattern SINGLE = PyPatterns.compile("\\*[^\\n\\*]*\\*");
        private static final Pattern DOUBLE = PyPatterns.compile("\\*\\*[^\\n\\*]*\\*\\*");

        static Highlights build(InstructionArguments args) {
            args.accept(Set.of("num_highlights"));
            return new Highlights(countArgument(args, "num_highlights", 1, 4));
        }

        @Override
        public String id() {
            return "detectable_format:number_highlighted_sections";
        }

        @Override
        public boolean isFollowedBy(String response) {
            int count = 0;
            for (String span : PyPatterns.findAll(SINGLE, response)) {
                if (!PyStrings.strip(PyStrings.strip(span, "*")).isEmpty()) {
                    count++;
                }
            }
            for (String span : PyPatterns.findAll(DOUBLE, response)) {
                String inner = span.substring(2, span.length() - 2);
                if (!PyStrings.strip(inner).isEmpty()) {
                    count++;
                }
            }
            return count >= highlights;
        }
    }

    /** {@code detectable_format:multiple_sections}: at least that many {@code \s?SPLITTER\s?\d+\s?} (a regex). */
    public record Sections(String splitter, int sections) implements Instruction {
        static Sections build(InstructionArguments args) {
            args.accept(Set.of("section_spliter", "num_sections"));
            String splitter = stripped(args.text("section_spliter"));
            if (splitter == null) {
                splitter = args.choice(List.of("Section", "SECTION"));
            }
            return new Sections(splitter, countArgument(args, "num_sections", 1, 5));
        }

        @Override
        public String id() {
            return "detectable_format:multiple_sections";
        }

        @Override
        public boolean isFollowedBy(String response) {
            Pattern pattern = PyPatterns.compile("\\s?" + splitter + "\\s?\\d+\\s?");
            return PyPatterns.split(pattern, response).size() - 1 >= sections;
        }
    }

    /**
     * {@code detectable_format:json_format}: the stripped response, less one leading {@code ```json},
     * {@code ```Json}, {@code ```JSON} and {@code ```} each (in that order) and a trailing {@code ```}, stripped
     * again, is what {@code json.loads} accepts ({@link PyJsonSyntax}).
     */
    public record JsonFormat() implements Instruction {
        @Override
        public String id() {
            return "detectable_format:json_format";
        }

        @Override
        public boolean isFollowedBy(String response) {
            String value = PyStrings.strip(response);
            for (String prefix : List.of("```json", "```Json", "```JSON", "```")) {
                if (value.startsWith(prefix)) {
                    value = value.substring(prefix.length());
                }
            }
            if (value.endsWith("```")) {
                value = value.substring(0, value.length() - 3);
            }
            return PyJsonSyntax.isValid(PyStrings.strip(value));
        }
    }

    /** {@code detectable_format:title}: some {@code <<[^\n]+>>} (greedy) is not blank inside. */
    public record Title() implements Instruction {
        private static final Pattern TITLE = PyPatterns.compile("<<[^\\n]+>>");

        @Override
        public String id() {
            return "detectable_format:title";
        }

        @Override
        public boolean isFollowedBy(String response) {
            for (String title : PyPatterns.findAll(TITLE, response)) {
                if (!PyStrings.strip(PyStrings.rstrip(PyStrings.lstrip(title, "<"), ">"))
                        .isEmpty()) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * {@code combination:two_responses}: split by {@code ******}, exactly two non-blank pieces that differ once
     * stripped; a blank piece inside fails.
     */
    public record TwoResponses() implements Instruction {
        @Override
        public String id() {
            return "combination:two_responses";
        }

        @Override
        public boolean isFollowedBy(String response) {
            List<String> pieces = PyStrings.split(response, "******", -1);
            List<String> valid = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) {
                if (PyStrings.strip(pieces.get(i)).isEmpty()) {
                    if (i != 0 && i != pieces.size() - 1) {
                        return false;
                    }
                } else {
                    valid.add(pieces.get(i));
                }
            }
            return valid.size() == 2 && !PyStrings.strip(valid.get(0)).equals(PyStrings.strip(valid.get(1)));
        }
    }

    /** {@code combination:repeat_prompt}: the stripped, lowered response starts with the stripped, lowered prompt. */
    public record RepeatPrompt(String prompt) implements Instruction {
        static RepeatPrompt build(InstructionArguments args) {
            args.accept(Set.of("prompt_to_repeat"));
            String prompt = args.text("prompt_to_repeat");
            if (prompt == null) {
                throw new IllegalArgumentException(
                        "combination:repeat_prompt needs prompt_to_repeat (lm-eval raises" + " ValueError)");
            }
            return new RepeatPrompt(prompt);
        }

        @Override
        public String id() {
            return "combination:repeat_prompt";
        }

        @Override
        public boolean isFollowedBy(String response) {
            return PyStrings.lower(PyStrings.strip(response)).startsWith(PyStrings.lower(PyStrings.strip(prompt)));
        }
    }

    /** {@code startend:end_checker}: the response, stripped of whitespace then of {@code "}, lowered, ends so. */
    public record EndPhrase(String phrase) implements Instruction {
        static EndPhrase build(InstructionArguments args) {
            args.accept(Set.of("end_phrase"));
            String phrase = stripped(args.text("end_phrase"));
            if (phrase == null) {
                phrase = args.choice(List.of("Any other questions?", "Is there anything else I can help with?"));
            }
            return new EndPhrase(phrase);
        }

        @Override
        public String id() {
            return "startend:end_checker";
        }

        @Override
        public boolean isFollowedBy(String response) {
            String value = PyStrings.lower(PyStrings.strip(PyStrings.strip(response), "\""));
            return value.endsWith(PyStrings.lower(PyStrings.strip(phrase)));
        }
    }

    /**
     * {@code change_case:capital_word_frequency}: tokens of {@code nltk.word_tokenize} ({@link NltkWords}) that are
     * {@code isupper()}. Upstream draws the frequency only when it is absent (a negative one stays).
     */
    public record CapitalWords(int frequency, String relation, PunktSentences punkt) implements Instruction {
        static CapitalWords build(InstructionArguments args) {
            args.accept(Set.of("capital_frequency", "capital_relation"));
            Integer frequency = args.integer("capital_frequency");
            int chosen = frequency == null ? args.randint(1, 20) : frequency;
            return new CapitalWords(chosen, relationArgument(args, "capital_relation"), args.sentences());
        }

        @Override
        public String id() {
            return "change_case:capital_word_frequency";
        }

        @Override
        public boolean isFollowedBy(String response) {
            int capitals = 0;
            for (String token : NltkWords.wordTokenize(response, punkt)) {
                if (PyStrings.isUpper(token)) {
                    capitals++;
                }
            }
            return compare(capitals, relation, frequency);
        }
    }

    /**
     * {@code change_case:english_capital}: {@code isupper()} and detected as English; a text without features counts
     * as followed once it is upper case.
     */
    public record EnglishCapitals() implements Instruction {
        @Override
        public String id() {
            return "change_case:english_capital";
        }

        @Override
        public boolean isFollowedBy(String response) {
            return PyStrings.isUpper(response)
                    && LanguageDetection.detect(response).map("en"::equals).orElse(true);
        }
    }

    /** {@code change_case:english_lowercase}: {@code islower()} and detected as English (featureless: followed). */
    public record EnglishLowercase() implements Instruction {
        @Override
        public String id() {
            return "change_case:english_lowercase";
        }

        @Override
        public boolean isFollowedBy(String response) {
            return PyStrings.isLower(response)
                    && LanguageDetection.detect(response).map("en"::equals).orElse(true);
        }
    }

    /** {@code punctuation:no_comma}: no ASCII comma. */
    public record NoComma() implements Instruction {
        @Override
        public String id() {
            return "punctuation:no_comma";
        }

        @Override
        public boolean isFollowedBy(String response) {
            return response.indexOf(',') < 0;
        }
    }

    /**
     * {@code startend:quotation}: the stripped response is longer than one character and starts and ends with
     * {@code "}.
     */
    public record Quotation() implements Instruction {
        @Override
        public String id() {
            return "startend:quotation";
        }

        @Override
        public boolean isFollowedBy(String response) {
            String value = PyStrings.strip(response);
            return PyStrings.length(value) > 1 && value.startsWith("\"") && value.endsWith("\"");
        }
    }
}
