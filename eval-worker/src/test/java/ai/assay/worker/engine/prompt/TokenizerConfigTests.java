package ai.assay.worker.engine.prompt;

import static ai.assay.worker.engine.prompt.ChatTemplateGoldenTests.directory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerConfigTests {

    @Test
    void readsLlama3() {
        TokenizerConfig config = TokenizerConfig.load(directory("llama3"));
        assertThat(config.bosToken()).isEqualTo("<|begin_of_text|>");
        assertThat(config.eosToken()).isEqualTo("<|eot_id|>");
        assertThat(config.padToken()).isNull();
        assertThat(config.modelMaxLength()).isEqualTo(131072L);
        assertThat(config.cleanUpTokenizationSpaces()).isTrue();
        assertThat(config.tokenizerClass()).isEqualTo("PreTrainedTokenizerFast");
        assertThat(config.addBosToken()).isNull();
        assertThat(config.chatTemplate()).startsWith("{{- bos_token }}");
        assertThat(config.namedChatTemplates()).isEmpty();
    }

    @Test
    void readsMistralWithTheUnlimitedSentinel() {
        TokenizerConfig config = TokenizerConfig.load(directory("mistral"));
        assertThat(config.modelMaxLength()).isNull();
        assertThat(config.addBosToken()).isTrue();
        assertThat(config.addEosToken()).isFalse();
        assertThat(config.unkToken()).isEqualTo("<unk>");
        assertThat(config.padToken()).isNull();
        assertThat(config.specialTokens()).containsOnlyKeys("bos_token", "eos_token", "unk_token");
    }

    @Test
    void readsQwenWithoutBos() {
        TokenizerConfig config = TokenizerConfig.load(directory("qwen2.5"));
        assertThat(config.bosToken()).isNull();
        assertThat(config.eosToken()).isEqualTo("<|im_end|>");
        assertThat(config.padToken()).isEqualTo("<|endoftext|>");
        assertThat(config.additionalSpecialTokens()).containsExactly("<|im_start|>", "<|im_end|>");
        assertThat(config.addBosToken()).isFalse();
    }

    @Test
    void readsAddedTokenObjects() {
        TokenizerConfig config = TokenizerConfig.load(directory("gemma3"));
        assertThat(config.bosToken()).isEqualTo("<bos>");
        assertThat(config.eosToken()).isEqualTo("<eos>");
        assertThat(config.padToken()).isEqualTo("<pad>");
    }

    @Test
    void specialTokensMapWins(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\", \"additional_special_tokens\": [\"<a>\"]}");
        Files.writeString(
                dir.resolve("special_tokens_map.json"),
                "{\"eos_token\": {\"content\": \"<|eot|>\", "
                        + "\"lstrip\": false}, \"additional_special_tokens\": [{\"content\": \"<b>\"}, \"<c>\"]}");
        TokenizerConfig config = TokenizerConfig.load(dir);
        assertThat(config.bosToken()).isEqualTo("<s>");
        assertThat(config.eosToken()).isEqualTo("<|eot|>");
        assertThat(config.additionalSpecialTokens()).containsExactly("<b>", "<c>");
    }

    @Test
    void picksTheDefaultOfNamedTemplates(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": ["
                        + "{\"name\": \"tool_use\", \"template\": \"T\"}, {\"name\": \"default\", \"template\": \"D\"}]}");
        TokenizerConfig config = TokenizerConfig.load(dir);
        assertThat(config.chatTemplate()).isEqualTo("D");
        assertThat(config.namedChatTemplates()).containsEntry("tool_use", "T").containsEntry("default", "D");

        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": [{\"name\": \"rag\", \"template\": \"R\"}]}");
        assertThat(TokenizerConfig.load(dir).chatTemplate()).isNull();
    }

    @Test
    void modelMaxLengthForms(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 1e30}");
        assertThat(TokenizerConfig.load(dir).modelMaxLength()).isNull();
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 4096.0}");
        assertThat(TokenizerConfig.load(dir).modelMaxLength()).isEqualTo(4096L);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": -1}");
        assertThatThrownBy(() -> TokenizerConfig.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model_max_length");
    }

    @Test
    void missingFilesGiveAnEmptyConfiguration(@TempDir Path dir) {
        TokenizerConfig config = TokenizerConfig.load(dir);
        assertThat(config).isEqualTo(TokenizerConfig.empty());
        assertThat(config.chatTemplate()).isNull();
    }

    @Test
    void malformedFilesAreNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\",");
        assertThatThrownBy(() -> TokenizerConfig.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("Malformed JSON")
                .hasMessageContaining("tokenizer_config.json");

        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": 42}");
        assertThatThrownBy(() -> TokenizerConfig.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizer_config.json")
                .hasMessageContaining("chat_template");

        Files.writeString(dir.resolve("tokenizer_config.json"), "[]");
        assertThatThrownBy(() -> TokenizerConfig.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("JSON object");

        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": \"yes\"}");
        assertThatThrownBy(() -> TokenizerConfig.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("add_bos_token");

        Files.writeString(dir.resolve("tokenizer_config.json"), "{}");
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"eos_token\": 5}");
        assertThatThrownBy(() -> TokenizerConfig.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("special_tokens_map.json")
                .hasMessageContaining("eos_token");
    }

    @Test
    void generationConfigForms(@TempDir Path dir) throws Exception {
        assertThat(GenerationConfig.load(dir)).isEqualTo(GenerationConfig.empty());

        Files.writeString(
                dir.resolve("config.json"), "{\"eos_token_id\": 2, \"bos_token_id\": 1, " + "\"max_length\": 20}");
        GenerationConfig fromModel = GenerationConfig.load(dir);
        assertThat(fromModel.eosTokenIds()).containsExactly(2);
        assertThat(fromModel.bosTokenId()).isEqualTo(1);
        assertThat(fromModel.maxLength()).isNull();
        assertThat(fromModel.source()).endsWith("config.json");

        Files.writeString(
                dir.resolve("generation_config.json"),
                "{\"eos_token_id\": [128001, 128008, 128009], "
                        + "\"bos_token_id\": 128000, \"pad_token_id\": null, \"max_length\": 4096, \"do_sample\": true}");
        GenerationConfig generation = GenerationConfig.load(dir);
        assertThat(generation.eosTokenIds()).isEqualTo(List.of(128001, 128008, 128009));
        assertThat(generation.bosTokenId()).isEqualTo(128000);
        assertThat(generation.padTokenId()).isNull();
        assertThat(generation.maxLength()).isEqualTo(4096);
        assertThat(generation.source()).endsWith("generation_config.json");

        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 7}");
        assertThat(GenerationConfig.load(dir).eosTokenIds()).containsExactly(7);

        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": \"</s>\"}");
        assertThatThrownBy(() -> GenerationConfig.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("generation_config.json")
                .hasMessageContaining("eos_token_id");

        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [1, ");
        assertThatThrownBy(() -> GenerationConfig.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("Malformed JSON")
                .hasMessageContaining("generation_config.json");
    }
}
