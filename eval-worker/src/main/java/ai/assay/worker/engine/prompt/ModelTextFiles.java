package ai.assay.worker.engine.prompt;

import ai.assay.reference.chat.ChatTemplate;
import ai.assay.reference.chat.ChatTemplateException;
import ai.assay.worker.engine.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The text side of a model directory: {@code tokenizer.json}, {@code tokenizer_config.json} (with
 * {@code special_tokens_map.json}), {@code generation_config.json} and the chat template, loaded together and
 * checked against each other. Closing it closes the tokenizer.
 */
public final class ModelTextFiles implements AutoCloseable {

    /** transformers 4.44+ saves the chat template in its own file, which then wins over tokenizer_config.json. */
    public static final String CHAT_TEMPLATE_FILE = "chat_template.jinja";

    private final HfTokenizer tokenizer;
    private final TokenizerConfig tokenizerConfig;
    private final GenerationConfig generationConfig;
    private final ChatTemplate chatTemplate;
    private final String chatTemplateSource;
    private final List<Integer> eosTokenIds;
    private final Integer bosTokenId;
    private final boolean addsBosByDefault;
    private final boolean addsEosByDefault;

    private ModelTextFiles(
            HfTokenizer tokenizer,
            TokenizerConfig tokenizerConfig,
            GenerationConfig generationConfig,
            ChatTemplate chatTemplate,
            String chatTemplateSource,
            List<Integer> eosTokenIds,
            Integer bosTokenId,
            boolean addsBosByDefault,
            boolean addsEosByDefault) {
        this.tokenizer = tokenizer;
        this.tokenizerConfig = tokenizerConfig;
        this.generationConfig = generationConfig;
        this.chatTemplate = chatTemplate;
        this.chatTemplateSource = chatTemplateSource;
        this.eosTokenIds = List.copyOf(eosTokenIds);
        this.bosTokenId = bosTokenId;
        this.addsBosByDefault = addsBosByDefault;
        this.addsEosByDefault = addsEosByDefault;
    }

    /**
     * @param chatTemplateOverride a Jinja2 chat template to use instead of the model's own, or null
     * @throws ModelLoadException when tokenizer.json is missing, a file is malformed, a special token is not in
     *                            the vocabulary, there are no EOS tokens, or the chat template cannot be rendered
     */
    public static ModelTextFiles load(Path modelDirectory, String chatTemplateOverride) {
        if (!Files.isDirectory(modelDirectory)) {
            throw new ModelLoadException("The model directory " + modelDirectory + " does not exist");
        }
        TokenizerConfig config = TokenizerConfig.load(modelDirectory);
        GenerationConfig generation = GenerationConfig.load(modelDirectory);

        String templateText;
        String templateSource;
        Path templateFile = modelDirectory.resolve(CHAT_TEMPLATE_FILE);
        if (chatTemplateOverride != null) {
            if (chatTemplateOverride.isBlank()) {
                throw new ModelLoadException("The chat template override is empty");
            }
            templateText = chatTemplateOverride;
            templateSource = "the chat template override";
        } else if (Files.isRegularFile(templateFile)) {
            try {
                templateText = Files.readString(templateFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ModelLoadException("Cannot read " + templateFile + ": " + e.getMessage(), e);
            }
            templateSource = templateFile.toString();
            config = config.withChatTemplate(templateText);
        } else {
            templateText = config.chatTemplate();
            templateSource = modelDirectory.resolve(TokenizerConfig.FILE).toString();
        }

        HfTokenizer tokenizer = HfTokenizer.load(modelDirectory, config);
        try {
            ChatTemplate template = null;
            if (templateText != null) {
                try {
                    template = ChatTemplate.of(templateText, config.specialTokens(), config.additionalSpecialTokens());
                } catch (ChatTemplateException e) {
                    throw new ModelLoadException(
                            "The chat template of " + templateSource + " is unusable: " + e.getMessage(), e);
                }
            }
            Integer bos = specialTokenId(tokenizer, config.bosToken(), "bos_token", modelDirectory);
            Integer eos = specialTokenId(tokenizer, config.eosToken(), "eos_token", modelDirectory);
            Set<Integer> eosIds = new LinkedHashSet<>(generation.eosTokenIds());
            if (eos != null) {
                eosIds.add(eos);
            }
            for (int id : eosIds) {
                if (id < 0 || id >= tokenizer.vocabularySize()) {
                    throw new ModelLoadException("The EOS token id " + id + " of " + generation.source()
                            + " is outside the vocabulary (size " + tokenizer.vocabularySize() + ")");
                }
            }
            if (eosIds.isEmpty()) {
                throw new ModelLoadException("The model directory " + modelDirectory + " names no EOS token: "
                        + "neither " + GenerationConfig.FILE + " (eos_token_id) nor " + TokenizerConfig.FILE
                        + " (eos_token)");
            }
            int[][] added = addedAround(tokenizer);
            boolean addsBos = bos != null && added[0].length > 0 && added[0][0] == bos;
            boolean addsEos = eos != null && added[1].length > 0 && added[1][added[1].length - 1] == eos;
            return new ModelTextFiles(
                    tokenizer,
                    config,
                    generation,
                    template,
                    template == null ? null : templateSource,
                    new ArrayList<>(eosIds),
                    bos,
                    addsBos,
                    addsEos);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    public TokenizerConfig tokenizerConfig() {
        return tokenizerConfig;
    }

    public GenerationConfig generationConfig() {
        return generationConfig;
    }

    /** The override, else {@code chat_template.jinja}, else the template of tokenizer_config.json; empty if none. */
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /**
     * The chat template, for tasks that need one.
     *
     * @throws ModelLoadException naming what was looked for, when the model has none and none was given
     */
    public ChatTemplate requireChatTemplate() {
        if (chatTemplate != null) {
            return chatTemplate;
        }
        if (!tokenizerConfig.namedChatTemplates().isEmpty()) {
            throw new ModelLoadException("The model's " + TokenizerConfig.FILE + " has chat templates named "
                    + tokenizerConfig.namedChatTemplates().keySet() + " but none named \"default\"; pass a chat "
                    + "template explicitly");
        }
        throw new ModelLoadException("The model has no chat template (none in " + TokenizerConfig.FILE + ", no "
                + CHAT_TEMPLATE_FILE + ") and none was given");
    }

    /** Where the chat template came from (a file path, or "the chat template override"), or null. */
    public String chatTemplateSource() {
        return chatTemplateSource;
    }

    /** The ids that end generation: generation_config.json's eos_token_id(s), then the tokenizer's eos_token. */
    public List<Integer> eosTokenIds() {
        return eosTokenIds;
    }

    /** The id of the tokenizer's bos_token, or null when it has none (Qwen). */
    public Integer bosTokenId() {
        return bosTokenId;
    }

    /** Whether {@code encode(text, true)} starts with BOS: what lm-evaluation-harness's default relies on. */
    public boolean addsBosByDefault() {
        return addsBosByDefault;
    }

    /** Whether {@code encode(text, true)} ends with EOS (add_eos_token). */
    public boolean addsEosByDefault() {
        return addsEosByDefault;
    }

    /** The tokenizer's vocabulary size, added tokens included. */
    public int vocabularySize() {
        return tokenizer.vocabularySize();
    }

    /** tokenizer_config.json's model_max_length, or null when it is unset or "unlimited". */
    public Long modelMaxLength() {
        return tokenizerConfig.modelMaxLength();
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static Integer specialTokenId(HfTokenizer tokenizer, String token, String attribute, Path directory) {
        if (token == null) {
            return null;
        }
        Integer id = tokenizer.tokenId(token);
        if (id == null) {
            throw new ModelLoadException(
                    "The " + attribute + " " + token + " of " + directory.resolve(TokenizerConfig.FILE)
                            + " is not in the vocabulary of " + directory.resolve(HfTokenizer.FILE));
        }
        return id;
    }

    /** What encoding with special tokens adds before and after a plain text, as {prefix, suffix}. */
    private static int[][] addedAround(HfTokenizer tokenizer) {
        int[] with = tokenizer.encode("a", true);
        int[] without = tokenizer.encode("a", false);
        for (int k = 0; k + without.length <= with.length; k++) {
            if (Arrays.equals(with, k, k + without.length, without, 0, without.length)) {
                return new int[][] {
                    Arrays.copyOfRange(with, 0, k), Arrays.copyOfRange(with, k + without.length, with.length)
                };
            }
        }
        return new int[][] {new int[0], new int[0]};
    }
}
