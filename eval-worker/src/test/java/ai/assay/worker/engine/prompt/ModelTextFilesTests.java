package ai.assay.worker.engine.prompt;

import static ai.assay.worker.engine.prompt.TestTokenizers.BEGIN_OF_TEXT;
import static ai.assay.worker.engine.prompt.TestTokenizers.END_OF_TEXT;
import static ai.assay.worker.engine.prompt.TestTokenizers.EOT;
import static ai.assay.worker.engine.prompt.TestTokenizers.IM_END;
import static ai.assay.worker.engine.prompt.TestTokenizers.specialTokenId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.reference.chat.ChatTemplate;
import ai.assay.worker.engine.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTextFilesTests {

    private static final List<ChatMessage> HI = List.of(new ChatMessage("user", "Hi"));

    @Test
    void loadsTheTestModel(@TempDir Path dir) {
        TestTokenizers.writeByteLevelModelFiles(dir);
        try (ModelTextFiles files = ModelTextFiles.load(dir, null)) {
            assertThat(files.vocabularySize()).isEqualTo(TestTokenizers.DEFAULT_VOCAB_SIZE);
            assertThat(files.bosTokenId()).isEqualTo(specialTokenId(BEGIN_OF_TEXT));
            assertThat(files.eosTokenIds()).containsExactly(specialTokenId(EOT), specialTokenId(END_OF_TEXT));
            assertThat(files.addsBosByDefault()).isTrue();
            assertThat(files.addsEosByDefault()).isFalse();
            assertThat(files.modelMaxLength()).isEqualTo(2048L);
            assertThat(files.chatTemplateSource()).endsWith("tokenizer_config.json");
            String prompt = files.requireChatTemplate().render(HI, true);
            assertThat(prompt).isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
            int[] ids = files.tokenizer().encode(prompt, false);
            assertThat(files.tokenizer().decode(ids, false)).isEqualTo(prompt);
            assertThat(files.tokenizer().decode(ids, true)).isEqualTo("user\nHi\nassistant\n");
        }
    }

    @Test
    void withoutBosAndWithTheTokenizersEosOnly(@TempDir Path dir) {
        TestTokenizers.writeByteLevelModelFiles(
                dir, TestTokenizers.Options.defaults().withAddBos(false).withEos(IM_END, List.of()));
        try (ModelTextFiles files = ModelTextFiles.load(dir, null)) {
            assertThat(files.addsBosByDefault()).isFalse();
            assertThat(files.bosTokenId()).isEqualTo(specialTokenId(BEGIN_OF_TEXT));
            assertThat(files.eosTokenIds()).containsExactly(specialTokenId(IM_END));
            assertThat(files.generationConfig()).isEqualTo(GenerationConfig.empty());
        }
    }

    @Test
    void theOverrideWins(@TempDir Path dir) throws Exception {
        TestTokenizers.writeByteLevelModelFiles(dir);
        Files.writeString(dir.resolve(ModelTextFiles.CHAT_TEMPLATE_FILE), "file:{{ messages[0].content }}");
        try (ModelTextFiles files = ModelTextFiles.load(dir, "override:{{ messages[0].content }}")) {
            assertThat(files.requireChatTemplate().render(HI, false)).isEqualTo("override:Hi");
            assertThat(files.chatTemplateSource()).isEqualTo("the chat template override");
        }
        try (ModelTextFiles files = ModelTextFiles.load(dir, null)) {
            assertThat(files.requireChatTemplate().render(HI, false)).isEqualTo("file:Hi");
            assertThat(files.tokenizerConfig().chatTemplate()).isEqualTo("file:{{ messages[0].content }}");
        }
        assertThatThrownBy(() -> ModelTextFiles.load(dir, "  "))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("override is empty");
    }

    @Test
    void halosChatMlAsAChatTemplateFile(@TempDir Path dir) throws Exception {
        TestTokenizers.writeByteLevelModelFiles(dir);
        Files.copy(
                ChatTemplateGoldenTests.directory("halos-chatml").resolve(ModelTextFiles.CHAT_TEMPLATE_FILE),
                dir.resolve(ModelTextFiles.CHAT_TEMPLATE_FILE));
        try (ModelTextFiles files = ModelTextFiles.load(dir, null)) {
            ChatTemplate chatMl = files.requireChatTemplate();
            assertThat(chatMl.render(List.of(new ChatMessage("user", "Write a haiku.")), true))
                    .isEqualTo("\n<|im_start|>user\nWrite a haiku.<|im_end|>\n<|im_start|>assistant\n");
            assertThat(chatMl.render(List.of(new ChatMessage("user", "Hi"), new ChatMessage("assistant", "Yo")), false))
                    .isEqualTo("\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nYo<|im_end|>");
        }
    }

    @Test
    void aModelWithoutChatTemplateLoadsButSaysSoWhenOneIsNeeded(@TempDir Path dir) {
        TestTokenizers.writeByteLevelModelFiles(
                dir, TestTokenizers.Options.defaults().withChatTemplate(null));
        try (ModelTextFiles files = ModelTextFiles.load(dir, null)) {
            assertThat(files.chatTemplate()).isEmpty();
            assertThat(files.chatTemplateSource()).isNull();
            assertThatThrownBy(files::requireChatTemplate)
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("no chat template")
                    .hasMessageContaining("tokenizer_config.json");
        }
    }

    @Test
    void aBrokenChatTemplateFailsAtLoad(@TempDir Path dir) {
        TestTokenizers.writeByteLevelModelFiles(
                dir, TestTokenizers.Options.defaults().withChatTemplate("{% for m in messages %}{{ m.content }}"));
        assertThatThrownBy(() -> ModelTextFiles.load(dir, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizer_config.json")
                .hasMessageContaining("chat template");
        assertThatThrownBy(() -> ModelTextFiles.load(dir, "{{ messages[0].content "))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("override")
                .hasMessageContaining("never closed");
    }

    @Test
    void specialTokensMustBeInTheVocabulary(@TempDir Path dir) throws Exception {
        TestTokenizers.writeByteLevelModelFiles(
                dir, TestTokenizers.Options.defaults().withEos("</s>", List.of()));
        assertThatThrownBy(() -> ModelTextFiles.load(dir, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("eos_token")
                .hasMessageContaining("</s>")
                .hasMessageContaining("tokenizer.json");

        TestTokenizers.writeByteLevelModelFiles(dir);
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 100000}");
        assertThatThrownBy(() -> ModelTextFiles.load(dir, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("100000")
                .hasMessageContaining("generation_config.json");
    }

    @Test
    void aModelWithoutAnyEosIsRejected(@TempDir Path dir) throws Exception {
        TestTokenizers.writeByteLevelModelFiles(
                dir, TestTokenizers.Options.defaults().withEos(EOT, List.of()));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<|begin_of_text|>\"}");
        assertThatThrownBy(() -> ModelTextFiles.load(dir, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("no EOS token");
    }

    @Test
    void missingFilesAreNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> ModelTextFiles.load(dir.resolve("absent"), null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ModelTextFiles.load(dir, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizer.json");
    }

    @Test
    void llamaTokenizerClassAddsBosAsTransformersDoes(@TempDir Path dir) throws Exception {
        TestTokenizers.writeByteLevelModelFiles(
                dir, TestTokenizers.Options.defaults().withAddBos(false));
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                "{\"tokenizer_class\": \"LlamaTokenizer\", "
                        + "\"bos_token\": \"<|begin_of_text|>\", \"eos_token\": \"<|eot_id|>\"}");
        try (ModelTextFiles files = ModelTextFiles.load(dir, null)) {
            assertThat(files.addsBosByDefault()).isTrue();
            assertThat(files.tokenizer().encode("Hi", true)[0]).isEqualTo(specialTokenId(BEGIN_OF_TEXT));
        }
    }

    @Test
    void closingClosesTheTokenizer(@TempDir Path dir) {
        TestTokenizers.writeByteLevelModelFiles(dir);
        ModelTextFiles files = ModelTextFiles.load(dir, null);
        files.close();
        assertThatThrownBy(() -> files.tokenizer().encode("x", false)).isInstanceOf(IllegalStateException.class);
    }
}
