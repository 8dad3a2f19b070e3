package ai.assay.worker.engine.prompt;

import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.TextTokenizer;
import ai.djl.engine.EngineException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.Utils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model's {@code tokenizer.json}, run by the Hugging Face tokenizers library (through DJL's JNI binding), with
 * the behaviour of transformers' fast tokenizer: truncation and padding off, special tokens added only when asked.
 *
 * <p>Nothing here touches the network: DJL's native library comes out of its jar, and DJL's offline mode is
 * switched on before first use (otherwise DJL calls an EC2 metadata address and, on a CUDA host, tries to download
 * a CUDA build of the library).
 *
 * <p>Thread-safety: {@link #encode}, {@link #decode} and the lookups may be called from any number of threads at
 * once (the Rust tokenizer is immutable after loading). {@link #close} waits for calls in progress and makes later
 * calls fail with {@link IllegalStateException} instead of touching freed native memory.
 */
public final class HfTokenizer implements TextTokenizer, AutoCloseable {

    public static final String FILE = "tokenizer.json";

    private static final Logger log = LoggerFactory.getLogger(HfTokenizer.class);

    /** transformers' Llama and Gemma fast tokenizers rebuild the post-processor from add_bos/add_eos_token. */
    private static final Set<String> POST_PROCESSOR_FROM_CONFIG = Set.of(
            "LlamaTokenizer",
            "LlamaTokenizerFast",
            "CodeLlamaTokenizer",
            "CodeLlamaTokenizerFast",
            "GemmaTokenizer",
            "GemmaTokenizerFast");

    private final HuggingFaceTokenizer tokenizer;
    private final String[] idToToken;
    private final Map<String, Integer> tokenToId;
    private final BitSet specialIds;
    private final boolean cleanUpTokenizationSpaces;
    private final String source;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private HfTokenizer(
            HuggingFaceTokenizer tokenizer, Vocabulary vocabulary, boolean cleanUpTokenizationSpaces, String source) {
        this.tokenizer = tokenizer;
        this.idToToken = vocabulary.idToToken;
        this.tokenToId = vocabulary.tokenToId;
        this.specialIds = vocabulary.specialIds;
        this.cleanUpTokenizationSpaces = cleanUpTokenizationSpaces;
        this.source = source;
    }

    /**
     * Loads {@code tokenizer.json} exactly as written: its post-processor decides what "special tokens" are, and
     * decoding does no clean-up.
     *
     * @throws ModelLoadException when the file is missing or the tokenizers library rejects it
     */
    public static HfTokenizer load(Path modelDirectory) {
        return load(modelDirectory, TokenizerConfig.empty());
    }

    /**
     * Loads {@code tokenizer.json} the way transformers' {@code AutoTokenizer} does with this configuration:
     * decoding applies {@code clean_up_tokenization_spaces}, and for the Llama and Gemma tokenizer classes the
     * post-processor is rebuilt from {@code add_bos_token} (default true) and {@code add_eos_token} (default false).
     *
     * @throws ModelLoadException when the file is missing or the tokenizers library rejects it
     */
    public static HfTokenizer load(Path modelDirectory, TokenizerConfig config) {
        Path file = modelDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("The model directory " + modelDirectory + " has no " + FILE);
        }
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return fromJson(json, file.toString(), config);
    }

    static HfTokenizer fromJson(String json, String source, TokenizerConfig config) {
        JsonNode root = ModelJson.requireObject(ModelJson.parse(json, source), source);
        Vocabulary vocabulary = Vocabulary.of(root, source);
        if (config.tokenizerClass() != null && POST_PROCESSOR_FROM_CONFIG.contains(config.tokenizerClass())) {
            root = withTemplatePostProcessor((ObjectNode) root, config, vocabulary, source);
            json = ModelJson.MAPPER.writeValueAsString(root);
        }
        ensureOffline();
        // DJL's defaults truncate at 512 tokens and pad; transformers only does either when asked.
        Map<String, String> options = Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false");
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), options);
        } catch (EngineException | LinkageError e) {
            throw new ModelLoadException(
                    "The native tokenizers library could not be loaded (DJL ships it for "
                            + "glibc 2.34+ on linux-x86_64/aarch64, macOS aarch64 and Windows x86_64): "
                            + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("The tokenizers library rejected " + source + ": " + e.getMessage(), e);
        }
        return new HfTokenizer(tokenizer, vocabulary, config.cleanUpTokenizationSpaces(), source);
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        lock.readLock().lock();
        try {
            checkOpen();
            Encoding encoding = tokenizer.encode(text, addSpecialTokens, false);
            long[] ids = encoding.getIds();
            int[] result = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                result[i] = Math.toIntExact(ids[i]);
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * transformers' {@code decode(ids, skip_special_tokens=...)}: skipping drops the added tokens marked special;
     * {@code clean_up_tokenization_spaces} applies when the configuration asked for it.
     */
    @Override
    public String decode(int[] tokenIds, boolean skipSpecialTokens) {
        long[] ids = new long[tokenIds.length];
        for (int i = 0; i < tokenIds.length; i++) {
            if (tokenIds[i] < 0) {
                throw new IllegalArgumentException("Negative token id " + tokenIds[i]);
            }
            ids[i] = tokenIds[i];
        }
        String text;
        lock.readLock().lock();
        try {
            checkOpen();
            text = tokenizer.decode(ids, skipSpecialTokens);
        } finally {
            lock.readLock().unlock();
        }
        return cleanUpTokenizationSpaces ? cleanUpTokenization(text) : text;
    }

    /** The token as the vocabulary spells it (transformers' {@code convert_ids_to_tokens}), e.g. "Ġthe". */
    @Override
    public String tokenText(int tokenId) {
        return tokenId >= 0 && tokenId < idToToken.length ? idToToken[tokenId] : null;
    }

    /** The id of a token as the vocabulary spells it, or null when the vocabulary lacks it. */
    public Integer tokenId(String token) {
        return token == null ? null : tokenToId.get(token);
    }

    /** Whether the id is an added token marked special (what {@code skip_special_tokens} drops). */
    public boolean isSpecial(int tokenId) {
        return tokenId >= 0 && specialIds.get(tokenId);
    }

    /** One more than the largest id, added tokens included: the smallest embedding that covers the vocabulary. */
    public int vocabularySize() {
        return idToToken.length;
    }

    /** transformers' {@code clean_up_tokenization}, applied in the same order. */
    static String cleanUpTokenization(String text) {
        return text.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                tokenizer.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + source + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The tokenizer of " + source + " is closed");
        }
    }

    /**
     * DJL reads these as environment variables first and system properties second; an explicit environment
     * setting that turns offline mode off is refused rather than obeyed.
     */
    private static synchronized void ensureOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        if (!Utils.isOfflineMode()) {
            throw new ModelLoadException("DJL is configured to go online (DJL_OFFLINE or ai.djl.offline is false); "
                    + "the worker loads tokenizers from local files only");
        }
    }

    /** What transformers' LlamaTokenizerFast.update_post_processor installs. */
    private static ObjectNode withTemplatePostProcessor(
            ObjectNode root, TokenizerConfig config, Vocabulary vocabulary, String source) {
        boolean addBos = config.addBosToken() == null || config.addBosToken();
        boolean addEos = config.addEosToken() != null && config.addEosToken();
        String bos = config.bosToken();
        String eos = config.eosToken();
        if (addBos && bos == null) {
            throw new ModelLoadException(
                    TokenizerConfig.FILE + " next to " + source + " sets add_bos_token but no bos_token");
        }
        if (addEos && eos == null) {
            throw new ModelLoadException(
                    TokenizerConfig.FILE + " next to " + source + " sets add_eos_token but no eos_token");
        }
        ObjectNode processor = ModelJson.MAPPER.createObjectNode();
        processor.put("type", "TemplateProcessing");
        ArrayNode single = processor.putArray("single");
        appendTemplate(single, "A", 0, addBos ? bos : null, addEos ? eos : null);
        ArrayNode pair = processor.putArray("pair");
        appendTemplate(pair, "A", 0, addBos ? bos : null, addEos ? eos : null);
        appendTemplate(pair, "B", 1, addBos ? bos : null, addEos ? eos : null);
        ObjectNode specials = processor.putObject("special_tokens");
        if (addBos) {
            putSpecial(specials, bos, vocabulary, source);
        }
        if (addEos) {
            putSpecial(specials, eos, vocabulary, source);
        }
        log.debug("Post-processor of {} set from add_bos_token={} add_eos_token={}", source, addBos, addEos);
        root.set("post_processor", processor);
        return root;
    }

    private static void appendTemplate(ArrayNode template, String sequence, int typeId, String bos, String eos) {
        if (bos != null) {
            template.addObject().putObject("SpecialToken").put("id", bos).put("type_id", typeId);
        }
        template.addObject().putObject("Sequence").put("id", sequence).put("type_id", typeId);
        if (eos != null) {
            template.addObject().putObject("SpecialToken").put("id", eos).put("type_id", typeId);
        }
    }

    private static void putSpecial(ObjectNode specials, String token, Vocabulary vocabulary, String source) {
        Integer id = vocabulary.tokenToId.get(token);
        if (id == null) {
            throw new ModelLoadException("The special token " + token + " named in " + TokenizerConfig.FILE
                    + " is not in the vocabulary of " + source);
        }
        ObjectNode entry = specials.putObject(token);
        entry.put("id", token);
        entry.putArray("ids").add(id);
        entry.putArray("tokens").add(token);
    }

    /** The id/token tables of tokenizer.json: the model's vocabulary plus the added tokens. */
    private record Vocabulary(String[] idToToken, Map<String, Integer> tokenToId, BitSet specialIds) {

        static Vocabulary of(JsonNode root, String source) {
            Map<String, Integer> tokenToId = new HashMap<>();
            Map<Integer, String> byId = new HashMap<>();
            BitSet special = new BitSet();
            JsonNode model = root.get("model");
            if (model == null || !model.isObject()) {
                throw new ModelLoadException("Malformed " + source + ": no \"model\" object");
            }
            JsonNode vocab = model.get("vocab");
            if (vocab != null && vocab.isObject()) {
                for (Map.Entry<String, JsonNode> entry : vocab.properties()) {
                    if (!entry.getValue().isIntegralNumber()) {
                        throw new ModelLoadException("Malformed " + source + ": the id of \"" + entry.getKey()
                                + "\" in model.vocab is not an integer");
                    }
                    int id = entry.getValue().asInt();
                    tokenToId.put(entry.getKey(), id);
                    byId.put(id, entry.getKey());
                }
            } else if (vocab != null && vocab.isArray()) {
                // Unigram: [[piece, score], ...], the id is the position.
                int id = 0;
                for (JsonNode entry : vocab) {
                    if (!entry.isArray() || entry.isEmpty() || !entry.get(0).isString()) {
                        throw new ModelLoadException(
                                "Malformed " + source + ": model.vocab entry " + id + " is not [piece, score]");
                    }
                    String piece = entry.get(0).stringValue();
                    tokenToId.putIfAbsent(piece, id);
                    byId.put(id, piece);
                    id++;
                }
            } else {
                throw new ModelLoadException(
                        "Malformed " + source + ": \"model.vocab\" is neither an object nor a list");
            }
            JsonNode added = root.get("added_tokens");
            if (added != null && added.isArray()) {
                for (JsonNode token : added) {
                    JsonNode idNode = token.get("id");
                    JsonNode contentNode = token.get("content");
                    boolean wellFormed = idNode != null
                            && idNode.isIntegralNumber()
                            && contentNode != null
                            && contentNode.isString();
                    if (!wellFormed) {
                        throw new ModelLoadException("Malformed " + source + ": an added token lacks an integer "
                                + "\"id\" or a string \"content\"");
                    }
                    int id = idNode.asInt();
                    String content = contentNode.stringValue();
                    tokenToId.put(content, id);
                    byId.put(id, content);
                    JsonNode isSpecial = token.get("special");
                    if (isSpecial != null && isSpecial.asBoolean()) {
                        special.set(id);
                    }
                }
            }
            int size = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
            String[] idToToken = new String[size];
            byId.forEach((id, token) -> {
                if (id >= 0) {
                    idToToken[id] = token;
                }
            });
            return new Vocabulary(idToToken, Map.copyOf(tokenToId), special);
        }
    }
}
