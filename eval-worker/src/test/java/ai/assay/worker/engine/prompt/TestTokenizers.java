package ai.assay.worker.engine.prompt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes small model directories for tests: a GPT-2-style byte-level BPE {@code tokenizer.json} (ByteLevel
 * pre-tokenizer and decoder, merges learnt here from a fixed English text, added special tokens), a
 * {@code tokenizer_config.json} and a {@code generation_config.json}.
 *
 * <p>Ids: the 256 byte tokens first (id = byte value), then one id per merge in merge order, then
 * {@link #SPECIAL_TOKENS} in that order. So the vocabulary size is {@code 256 + merges + SPECIAL_TOKENS.size()}
 * ({@link #DEFAULT_VOCAB_SIZE} with the defaults), and a test model's embedding can be sized to it.
 */
public final class TestTokenizers {

    public static final int BYTE_TOKENS = 256;
    public static final int DEFAULT_MERGES = 200;

    public static final String BEGIN_OF_TEXT = "<|begin_of_text|>";
    public static final String END_OF_TEXT = "<|end_of_text|>";
    public static final String START_HEADER = "<|start_header_id|>";
    public static final String END_HEADER = "<|end_header_id|>";
    public static final String EOT = "<|eot_id|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";
    public static final String ENDOFTEXT = "<|endoftext|>";

    public static final List<String> SPECIAL_TOKENS =
            List.of(BEGIN_OF_TEXT, END_OF_TEXT, START_HEADER, END_HEADER, EOT, IM_START, IM_END, ENDOFTEXT);

    public static final int DEFAULT_VOCAB_SIZE = BYTE_TOKENS + DEFAULT_MERGES + SPECIAL_TOKENS.size();

    /** A ChatML template (Qwen without its default system prompt); no BOS of its own. */
    public static final String CHATML_TEMPLATE = "{%- for message in messages %}"
            + "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{%- endfor %}"
            + "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

    /**
     * What to write.
     *
     * @param merges         how many BPE merges to learn (at most a few hundred: the training text is short)
     * @param addBos         whether the post-processor adds {@code <|begin_of_text|>} when special tokens are added
     * @param chatTemplate   the tokenizer_config.json chat_template, or null for none
     * @param eosToken       tokenizer_config.json's eos_token
     * @param generationEos  generation_config.json's eos_token_id (one or more special tokens); empty writes no
     *                       generation_config.json
     */
    public record Options(
            int merges, boolean addBos, String chatTemplate, String eosToken, List<String> generationEos) {

        public Options {
            generationEos = List.copyOf(generationEos);
        }

        /** Llama-3 style: BOS added, ChatML template, EOS {@code <|eot_id|>} and {@code <|end_of_text|>}. */
        public static Options defaults() {
            return new Options(DEFAULT_MERGES, true, CHATML_TEMPLATE, EOT, List.of(EOT, END_OF_TEXT));
        }

        public Options withMerges(int value) {
            return new Options(value, addBos, chatTemplate, eosToken, generationEos);
        }

        public Options withAddBos(boolean value) {
            return new Options(merges, value, chatTemplate, eosToken, generationEos);
        }

        public Options withChatTemplate(String value) {
            return new Options(merges, addBos, value, eosToken, generationEos);
        }

        public Options withEos(String token, List<String> generation) {
            return new Options(merges, addBos, chatTemplate, token, generation);
        }

        public int vocabSize() {
            return vocabularySize(merges);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Pattern GPT2_SPLIT =
            Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    /** Original text the merges are learnt from; any text would do, this one is varied enough for 300 merges. */
    private static final String TRAINING_TEXT = """
            The evaluation service reads a model directory, loads the tokenizer and the configuration files, and \
            then asks the model to answer questions. Each answer is compared with the reference answer, and the \
            scores are written to the database so that researchers can see how the model behaves.
            When the tokenizer splits a sentence into tokens, the space before a word stays with the word. That is \
            why the merged tokens often start with a space: " the", " and", " to", " of", " in", " that".
            Numbers such as 12, 345 and 6789 are split into digits first; punctuation like commas, periods, colons \
            and question marks are separate pieces. Is this a question? Yes, it is! Another one: what is 2 + 2?
            A second paragraph talks about training, testing and running. The tests run on small models that are \
            built in memory; they check that encoding and decoding give back the original text, that special \
            tokens are recognised, and that the beginning of the text is marked when it should be.
            def greet(name):
                return "Hello, " + name + "!"
            for item in items:
                print(item)
            """;

    private TestTokenizers() {}

    public static int vocabularySize(int merges) {
        return BYTE_TOKENS + merges + SPECIAL_TOKENS.size();
    }

    /** The id of a special token in a tokenizer with this many merges. */
    public static int specialTokenId(String token, int merges) {
        int index = SPECIAL_TOKENS.indexOf(token);
        if (index < 0) {
            throw new IllegalArgumentException("Not a special token of the test tokenizer: " + token);
        }
        return BYTE_TOKENS + merges + index;
    }

    /** The id of a special token with {@link #DEFAULT_MERGES}. */
    public static int specialTokenId(String token) {
        return specialTokenId(token, DEFAULT_MERGES);
    }

    /** Writes the files with {@link Options#defaults()}; returns {@code dir}. */
    public static Path writeByteLevelModelFiles(Path dir) {
        return writeByteLevelModelFiles(dir, Options.defaults());
    }

    /** Writes tokenizer.json, tokenizer_config.json and (unless no EOS ids are given) generation_config.json. */
    public static Path writeByteLevelModelFiles(Path dir, Options options) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson(options), StandardCharsets.UTF_8);
            Files.writeString(
                    dir.resolve("tokenizer_config.json"), tokenizerConfigJson(options), StandardCharsets.UTF_8);
            if (!options.generationEos().isEmpty()) {
                Files.writeString(
                        dir.resolve("generation_config.json"), generationConfigJson(options), StandardCharsets.UTF_8);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tokenizerJson(Options options) {
        List<String[]> merges = learnMerges(options.merges());
        if (merges.size() != options.merges()) {
            throw new IllegalArgumentException("The training text yields only " + merges.size() + " merges");
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String token : SPECIAL_TOKENS) {
            ObjectNode entry = added.addObject();
            entry.put("id", specialTokenId(token, options.merges()));
            entry.put("content", token);
            entry.put("single_word", false);
            entry.put("lstrip", false);
            entry.put("rstrip", false);
            entry.put("normalized", false);
            entry.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("trim_offsets", true);
        pre.put("use_regex", true);
        if (options.addBos()) {
            int bos = specialTokenId(BEGIN_OF_TEXT, options.merges());
            ObjectNode post = root.putObject("post_processor");
            post.put("type", "TemplateProcessing");
            ArrayNode single = post.putArray("single");
            single.addObject()
                    .putObject("SpecialToken")
                    .put("id", BEGIN_OF_TEXT)
                    .put("type_id", 0);
            single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            ArrayNode pair = post.putArray("pair");
            pair.addObject().putObject("SpecialToken").put("id", BEGIN_OF_TEXT).put("type_id", 0);
            pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            pair.addObject().putObject("SpecialToken").put("id", BEGIN_OF_TEXT).put("type_id", 1);
            pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
            ObjectNode special = post.putObject("special_tokens").putObject(BEGIN_OF_TEXT);
            special.put("id", BEGIN_OF_TEXT);
            special.putArray("ids").add(bos);
            special.putArray("tokens").add(BEGIN_OF_TEXT);
        } else {
            root.putNull("post_processor");
        }
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "ByteLevel");
        decoder.put("add_prefix_space", true);
        decoder.put("trim_offsets", true);
        decoder.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        String[] byteSymbols = byteSymbols();
        for (int b = 0; b < BYTE_TOKENS; b++) {
            vocab.put(byteSymbols[b], b);
        }
        ArrayNode mergeList = model.putArray("merges");
        int id = BYTE_TOKENS;
        for (String[] merge : merges) {
            vocab.put(merge[0] + merge[1], id++);
            mergeList.add(merge[0] + " " + merge[1]);
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    static String tokenizerConfigJson(Options options) {
        ObjectNode config = JSON.createObjectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("bos_token", BEGIN_OF_TEXT);
        config.put("eos_token", options.eosToken());
        config.put("clean_up_tokenization_spaces", false);
        config.put("model_max_length", 2048);
        if (options.chatTemplate() != null) {
            config.put("chat_template", options.chatTemplate());
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config);
    }

    static String generationConfigJson(Options options) {
        ObjectNode config = JSON.createObjectNode();
        config.put("bos_token_id", specialTokenId(BEGIN_OF_TEXT, options.merges()));
        ArrayNode eos = config.putArray("eos_token_id");
        for (String token : options.generationEos()) {
            eos.add(specialTokenId(token, options.merges()));
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config);
    }

    /** GPT-2's byte-to-unicode table: printable bytes map to themselves, the others to U+0100 onwards. */
    static String[] byteSymbols() {
        String[] symbols = new String[BYTE_TOKENS];
        int next = 0;
        for (int b = 0; b < BYTE_TOKENS; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            symbols[b] = printable ? String.valueOf((char) b) : String.valueOf((char) (BYTE_TOKENS + next++));
        }
        return symbols;
    }

    private static List<String[]> cachedMerges = List.of();

    /** Classic BPE training over the GPT-2 pre-tokenized words; ties go to the lexicographically first pair. */
    static synchronized List<String[]> learnMerges(int count) {
        if (cachedMerges.size() >= count) {
            return cachedMerges.subList(0, count);
        }
        String[] byteSymbols = byteSymbols();
        Map<List<String>, Integer> words = new LinkedHashMap<>();
        Matcher matcher = GPT2_SPLIT.matcher(TRAINING_TEXT);
        while (matcher.find()) {
            List<String> symbols = new ArrayList<>();
            for (byte b : matcher.group().getBytes(StandardCharsets.UTF_8)) {
                symbols.add(byteSymbols[b & 0xFF]);
            }
            words.merge(symbols, 1, Integer::sum);
        }
        List<String[]> merges = new ArrayList<>();
        Set<String> known = new HashSet<>(List.of(byteSymbols));
        while (merges.size() < count) {
            Map<String, Integer> pairCounts = new HashMap<>();
            for (Map.Entry<List<String>, Integer> word : words.entrySet()) {
                List<String> symbols = word.getKey();
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    pairCounts.merge(symbols.get(i) + "\u0000" + symbols.get(i + 1), word.getValue(), Integer::sum);
                }
            }
            String best = null;
            int bestCount = 0;
            for (Map.Entry<String, Integer> pair : pairCounts.entrySet()) {
                // Two merges may spell the same token ("a"+"bc", "ab"+"c"); keep one id per spelling.
                if (known.contains(pair.getKey().replace("\u0000", ""))) {
                    continue;
                }
                if (pair.getValue() > bestCount
                        || (pair.getValue() == bestCount && pair.getKey().compareTo(best) < 0)) {
                    best = pair.getKey();
                    bestCount = pair.getValue();
                }
            }
            if (best == null) {
                break;
            }
            String[] merge = best.split("\u0000", 2);
            merges.add(merge);
            known.add(merge[0] + merge[1]);
            Map<List<String>, Integer> mergedWords = new LinkedHashMap<>();
            for (Map.Entry<List<String>, Integer> word : words.entrySet()) {
                List<String> symbols = word.getKey();
                List<String> merged = new ArrayList<>(symbols.size());
                for (int i = 0; i < symbols.size(); i++) {
                    if (i + 1 < symbols.size()
                            && symbols.get(i).equals(merge[0])
                            && symbols.get(i + 1).equals(merge[1])) {
                        merged.add(merge[0] + merge[1]);
                        i++;
                    } else {
                        merged.add(symbols.get(i));
                    }
                }
                mergedWords.merge(merged, word.getValue(), Integer::sum);
            }
            words = mergedWords;
        }
        cachedMerges = List.copyOf(merges);
        return cachedMerges;
    }
}
