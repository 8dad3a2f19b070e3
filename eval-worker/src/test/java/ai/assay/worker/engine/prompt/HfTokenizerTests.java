package ai.assay.worker.engine.prompt;

import static ai.assay.worker.engine.prompt.TestTokenizers.BEGIN_OF_TEXT;
import static ai.assay.worker.engine.prompt.TestTokenizers.EOT;
import static ai.assay.worker.engine.prompt.TestTokenizers.IM_END;
import static ai.assay.worker.engine.prompt.TestTokenizers.IM_START;
import static ai.assay.worker.engine.prompt.TestTokenizers.specialTokenId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTokenizerTests {

    @TempDir
    static Path shared;

    private static HfTokenizer tokenizer;
    private static final int BOS = specialTokenId(BEGIN_OF_TEXT);

    @BeforeAll
    static void load() {
        tokenizer = HfTokenizer.load(TestTokenizers.writeByteLevelModelFiles(shared.resolve("model")));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void roundTripsArbitraryUtf8() {
        List<String> texts = List.of(
                "Hello, world!",
                " leading and trailing spaces  ",
                "tabs\tand\nnewlines\r\n",
                "emoji 🙂 and a family 👩‍👩‍👧 and a flag 🇩🇪",
                "中文和日本語のテキスト",
                "한국어 텍스트",
                "combining: e\u0301 and a\u0308",
                "control \u0000\u0001\u001f and DEL \u007f",
                "",
                "   ",
                "def f(x):\n    return x ** 2  # comment",
                "the the the theory thesis");
        for (String text : texts) {
            int[] ids = tokenizer.encode(text, false);
            assertThat(tokenizer.decode(ids, false)).as(text).isEqualTo(text);
            assertThat(tokenizer.decode(ids, true)).as(text).isEqualTo(text);
        }
    }

    @Test
    void learntMergesShortenEnglish() {
        String text = "the tokenizer and the model";
        int[] ids = tokenizer.encode(text, false);
        assertThat(ids.length).isLessThan(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 2);
        assertThat(tokenizer.tokenId("Ġthe")).isNotNull();
        assertThat(Arrays.stream(ids).mapToObj(tokenizer::tokenText)).contains("Ġthe");
    }

    @Test
    void addsBosOnlyWithSpecialTokens() {
        int[] plain = tokenizer.encode("Hi there", false);
        int[] special = tokenizer.encode("Hi there", true);
        assertThat(special[0]).isEqualTo(BOS);
        assertThat(Arrays.copyOfRange(special, 1, special.length)).containsExactly(plain);
        assertThat(plain).doesNotContain(BOS);
        assertThat(tokenizer.encode("", true)).containsExactly(BOS);
        assertThat(tokenizer.encode("", false)).isEmpty();
    }

    @Test
    void recognisesSpecialTokensInText() {
        int[] ids = tokenizer.encode("<|im_start|>user\nHi<|im_end|>", false);
        assertThat(ids[0]).isEqualTo(specialTokenId(IM_START));
        assertThat(ids[ids.length - 1]).isEqualTo(specialTokenId(IM_END));
        assertThat(tokenizer.decode(ids, false)).isEqualTo("<|im_start|>user\nHi<|im_end|>");
        assertThat(tokenizer.decode(ids, true)).isEqualTo("user\nHi");
    }

    @Test
    void decodeSkipsSpecialTokensOnlyWhenAsked() {
        int[] hi = tokenizer.encode("Hi", false);
        int[] ids = IntStream.concat(
                        IntStream.concat(IntStream.of(BOS), Arrays.stream(hi)), IntStream.of(specialTokenId(EOT)))
                .toArray();
        assertThat(tokenizer.decode(ids, false)).isEqualTo("<|begin_of_text|>Hi<|eot_id|>");
        assertThat(tokenizer.decode(ids, true)).isEqualTo("Hi");
        assertThat(tokenizer.isSpecial(BOS)).isTrue();
        assertThat(tokenizer.isSpecial(hi[0])).isFalse();
    }

    @Test
    void neverTruncates() {
        String text = "\u0001".repeat(3000);
        assertThat(tokenizer.encode(text, false)).hasSize(3000);
        assertThat(tokenizer.encode(text, true)).hasSize(3001);
        StringBuilder prose = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            prose.append("word").append(i).append(' ');
        }
        int[] ids = tokenizer.encode(prose.toString(), false);
        assertThat(ids.length).isGreaterThan(512);
        assertThat(tokenizer.decode(ids, false)).isEqualTo(prose.toString());
    }

    @Test
    void tokenTextAndVocabulary() {
        assertThat(tokenizer.vocabularySize()).isEqualTo(TestTokenizers.DEFAULT_VOCAB_SIZE);
        assertThat(tokenizer.tokenText(BOS)).isEqualTo(BEGIN_OF_TEXT);
        assertThat(tokenizer.tokenText('a')).isEqualTo("a");
        assertThat(tokenizer.tokenText(' ')).isEqualTo("Ġ");
        assertThat(tokenizer.tokenText(-1)).isNull();
        assertThat(tokenizer.tokenText(TestTokenizers.DEFAULT_VOCAB_SIZE)).isNull();
        assertThat(tokenizer.tokenId(EOT)).isEqualTo(specialTokenId(EOT));
        assertThat(tokenizer.tokenId("not a token")).isNull();
        assertThat(IntStream.range(0, tokenizer.vocabularySize()).mapToObj(tokenizer::tokenText))
                .doesNotContainNull()
                .doesNotHaveDuplicates();
    }

    @Test
    void encodingIsThreadSafe() throws Exception {
        List<String> texts = IntStream.range(0, 50)
                .mapToObj(i -> "text number " + i + " 🙂 " + "x".repeat(i))
                .toList();
        List<int[]> expected =
                texts.stream().map(t -> tokenizer.encode(t, true)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < texts.size(); i++) {
                            int[] ids = tokenizer.encode(texts.get(i), true);
                            if (!Arrays.equals(ids, expected.get(i))
                                    || !tokenizer.decode(ids, true).equals(texts.get(i))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void otherMergeCountsKeepTheirVocabularySize(@TempDir Path dir) {
        for (int merges : new int[] {0, 300}) {
            Path model = TestTokenizers.writeByteLevelModelFiles(
                    dir.resolve("m" + merges), TestTokenizers.Options.defaults().withMerges(merges));
            try (HfTokenizer sized = HfTokenizer.load(model)) {
                assertThat(sized.vocabularySize()).isEqualTo(TestTokenizers.vocabularySize(merges));
                assertThat(sized.tokenId(EOT)).isEqualTo(specialTokenId(EOT, merges));
                String text = "the merged tokens 🙂";
                assertThat(sized.decode(sized.encode(text, true), true)).isEqualTo(text);
            }
        }
    }

    @Test
    void staysOffline() {
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    }

    @Test
    void refusesToGoOnline(@TempDir Path dir) {
        TestTokenizers.writeByteLevelModelFiles(dir);
        String before = System.getProperty("ai.djl.offline");
        System.setProperty("ai.djl.offline", "false");
        try {
            assertThatThrownBy(() -> HfTokenizer.load(dir))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("local files only");
        } finally {
            System.setProperty("ai.djl.offline", before);
        }
    }

    @Test
    void closedTokenizerFailsCleanly(@TempDir Path dir) {
        HfTokenizer own = HfTokenizer.load(TestTokenizers.writeByteLevelModelFiles(dir));
        own.close();
        own.close();
        assertThatThrownBy(() -> own.encode("x", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> own.decode(new int[] {1}, false)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void missingTokenizerJsonIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> HfTokenizer.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizer.json")
                .hasMessageContaining(dir.toString());
    }

    @Test
    void malformedTokenizerJsonIsNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": ");
        assertThatThrownBy(() -> HfTokenizer.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("Malformed JSON")
                .hasMessageContaining("tokenizer.json");

        Files.writeString(
                dir.resolve("tokenizer.json"),
                "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, " + "\"merges\": [\"a b\"]}}");
        assertThatThrownBy(() -> HfTokenizer.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizers library rejected")
                .hasMessageContaining("tokenizer.json");
    }

    @Test
    void readsUnigramVocabularies(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("tokenizer.json"),
                "{\"added_tokens\": [{\"id\": 4, \"content\": \"</s>\", "
                        + "\"special\": true, \"single_word\": false, \"lstrip\": false, \"rstrip\": false, "
                        + "\"normalized\": false}], \"model\": {\"type\": \"Unigram\", \"unk_id\": 0, \"vocab\": "
                        + "[[\"<unk>\", 0.0], [\"a\", -2.0], [\"b\", -2.0], [\"ab\", -1.0], [\"</s>\", 0.0]]}}");
        try (HfTokenizer unigram = HfTokenizer.load(dir)) {
            assertThat(unigram.encode("ab</s>", false)).containsExactly(3, 4);
            assertThat(unigram.tokenText(3)).isEqualTo("ab");
            assertThat(unigram.vocabularySize()).isEqualTo(5);
            assertThat(unigram.isSpecial(4)).isTrue();
        }
    }

    @Test
    void cleanUpTokenizationSpacesFollowsTheConfiguration(@TempDir Path dir) {
        TestTokenizers.writeByteLevelModelFiles(dir);
        TokenizerConfig cleanUp =
                new TokenizerConfig(Map.of(), List.of(), null, null, null, null, Map.of(), true, null);
        try (HfTokenizer cleaning = HfTokenizer.load(dir, cleanUp)) {
            int[] ids = cleaning.encode("Yes , it is . I 'm sure it 's fine , is n't it ?", false);
            assertThat(cleaning.decode(ids, false)).isEqualTo("Yes, it is. I'm sure it's fine, isn't it?");
        }
        assertThat(tokenizer.decode(tokenizer.encode("Yes , it is .", false), false))
                .isEqualTo("Yes , it is .");
    }

    @Test
    void llamaClassesTakeBosAndEosFromTheConfiguration(@TempDir Path dir) {
        TestTokenizers.writeByteLevelModelFiles(
                dir, TestTokenizers.Options.defaults().withAddBos(false));
        int[] plain;
        try (HfTokenizer asWritten = HfTokenizer.load(dir)) {
            plain = asWritten.encode("Hi", false);
            assertThat(asWritten.encode("Hi", true)).containsExactly(plain);
        }
        Map<String, String> specials = Map.of("bos_token", BEGIN_OF_TEXT, "eos_token", EOT);
        TokenizerConfig llamaDefaults =
                new TokenizerConfig(specials, List.of(), null, null, null, null, Map.of(), false, "LlamaTokenizer");
        try (HfTokenizer llama = HfTokenizer.load(dir, llamaDefaults)) {
            assertThat(llama.encode("Hi", true))
                    .containsExactly(IntStream.concat(IntStream.of(BOS), Arrays.stream(plain))
                            .toArray());
            assertThat(llama.encode("Hi", false)).containsExactly(plain);
        }
        TokenizerConfig eosOnly = new TokenizerConfig(
                specials, List.of(), false, true, null, null, Map.of(), false, "GemmaTokenizerFast");
        try (HfTokenizer gemma = HfTokenizer.load(dir, eosOnly)) {
            assertThat(gemma.encode("Hi", true))
                    .containsExactly(IntStream.concat(Arrays.stream(plain), IntStream.of(specialTokenId(EOT)))
                            .toArray());
        }
        TokenizerConfig missingBos = new TokenizerConfig(
                Map.of("eos_token", EOT), List.of(), true, null, null, null, Map.of(), false, "LlamaTokenizerFast");
        assertThatThrownBy(() -> HfTokenizer.load(dir, missingBos))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("add_bos_token");
    }
}
