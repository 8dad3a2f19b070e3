package ai.assay.worker.judge.annotator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.alpacaeval.judging.PromptMessage;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding annotators in a mounted directory, the download cache and (a stub of) alpaca_eval's repository. */
class AnnotatorCatalogTests {

    private static final String COMMIT = "cd543a149df89434d8a54582c0151c0b945c3d20";
    private static final String PREFIX = "/" + COMMIT + "/src/alpaca_eval/evaluators_configs/";
    private static final String TEMPLATE = """
            <|im_start|>system
            Pick the better answer.
            <|im_end|>
            <|im_start|>user
            {instruction}
            m: {output_1}
            M: {output_2}
            <|im_end|>
            """;

    static WireMockServer repository;

    @TempDir
    Path dir;

    @TempDir
    Path cacheDir;

    @BeforeAll
    static void start() {
        repository = new WireMockServer(options().dynamicPort());
        repository.start();
    }

    @AfterAll
    static void stop() {
        repository.stop();
    }

    @BeforeEach
    void reset() {
        repository.resetAll();
    }

    private AnnotatorCatalog catalog(Path annotatorsDir, boolean offline) {
        return new AnnotatorCatalog(
                annotatorsDir,
                cacheDir,
                offline,
                new AlpacaEvalConfigFiles(
                        URI.create("http://localhost:" + repository.port()), COMMIT, 2, Duration.ofMillis(10)));
    }

    private static Path testConfigs() throws URISyntaxException {
        return Path.of(AnnotatorCatalogTests.class
                .getResource("/judge/evaluators_configs")
                .toURI());
    }

    /** A config in the HALOs files' shape (written for this test): one key, weighted logprob judge. */
    private static String halosStyleConfig(String templatePath, String model) {
        return """
                alpaca_eval_gpt4:
                  prompt_template: "%s"
                  fn_completions: "openai_completions"
                  completions_kwargs:
                    model_name: "%s"
                    max_tokens: 1
                    temperature: 1 # sampling only; logprobs are unaffected
                    logprobs: true
                    top_logprobs: 5
                  fn_completion_parser: "logprob_parser"
                  completion_parser_kwargs:
                    numerator_token: "m"
                    denominator_tokens: ["m", "M"]
                    is_binarize: false
                  completion_key: "completions_all"
                  batch_size: 1
                """.formatted(templatePath, model);
    }

    @Test
    void readsAnEvaluatorsConfigsDirectory() throws Exception {
        Annotator annotator = catalog(testConfigs(), true).resolve("test_judge");

        assertThat(annotator.name()).isEqualTo("test_judge");
        assertThat(annotator.configKey()).isEqualTo("test_judge");
        assertThat(annotator.model()).isEqualTo("judge-test");
        assertThat(annotator.parser().name()).isEqualTo("logprob_parser");
        assertThat(annotator.completionKey()).isEqualTo(CompletionKey.CHOICE);
        assertThat(annotator.randomizeOutputOrder()).isTrue();
        assertThat(annotator.template().text())
                .isEqualTo(Files.readString(testConfigs().resolve("test_judge/compare.txt")));
        assertThat(annotator.requestParams().toString())
                .isEqualTo("{\"max_tokens\":1,\"temperature\":1,\"top_p\":1.0,\"logprobs\":true,\"top_logprobs\":5}");
    }

    @Test
    void loadsHalosStyleConfigsUnchangedWithTheirAbsoluteTemplatePathFallingBackToTheFileNextToThem()
            throws IOException {
        Files.writeString(
                dir.resolve("alpaca_eval_gpt-4.1.yaml"),
                halosStyleConfig("/home/someone/HALOs/alpaca_eval.txt", "gpt-4.1"));
        Files.writeString(
                dir.resolve("alpaca_eval_gpt-4.1-mini.yaml"),
                halosStyleConfig("/home/someone/HALOs/alpaca_eval.txt", "gpt-4.1-mini"));
        Files.writeString(dir.resolve("alpaca_eval.txt"), TEMPLATE);
        AnnotatorCatalog catalog = catalog(dir, true);

        Annotator full = catalog.resolve("alpaca_eval_gpt-4.1");
        Annotator mini = catalog.resolve("alpaca_eval_gpt-4.1-mini.yaml");

        assertThat(full.name()).isEqualTo("alpaca_eval_gpt-4.1");
        assertThat(full.configKey()).isEqualTo("alpaca_eval_gpt4");
        assertThat(full.model()).isEqualTo("gpt-4.1");
        assertThat(mini.name()).isEqualTo("alpaca_eval_gpt-4.1-mini");
        assertThat(mini.model()).isEqualTo("gpt-4.1-mini");
        assertThat(full.template().text()).isEqualTo(TEMPLATE);
        assertThat(full.requestParams().path("max_tokens").asInt()).isEqualTo(1);
        assertThat(full.requestParams().path("top_logprobs").asInt()).isEqualTo(5);
        assertThat(full.messages("Say hi", "Hi!", "Hello!"))
                .containsExactly(
                        new PromptMessage("system", "Pick the better answer.", null),
                        new PromptMessage("user", "Say hi\nm: Hi!\nM: Hello!", null));
        assertThat(full.configHash()).as("the model is part of the config hash").isNotEqualTo(mini.configHash());
    }

    @Test
    void resolvesRelativeAndExistingAbsoluteTemplatePaths() throws IOException {
        Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(dir.resolve("prompts/judge.txt"), TEMPLATE);
        Files.writeString(dir.resolve("relative.yaml"), halosStyleConfig("prompts/judge.txt", "m1"));
        Path elsewhere = Files.createDirectories(cacheDir.resolve("elsewhere")).resolve("t.txt");
        Files.writeString(elsewhere, TEMPLATE.replace("Pick", "Choose"));
        Files.writeString(dir.resolve("absolute.yaml"), halosStyleConfig(elsewhere.toString(), "m1"));

        assertThat(catalog(dir, true).resolve("relative").template().text()).isEqualTo(TEMPLATE);
        assertThat(catalog(dir, true).resolve("absolute").template().text()).contains("Choose the better");
    }

    @Test
    void aMissingTemplateIsAClearError() throws IOException {
        Files.writeString(dir.resolve("lost.yaml"), halosStyleConfig("/nowhere/judge_prompt.txt", "m1"));
        Files.writeString(dir.resolve("lost_relative.yaml"), halosStyleConfig("prompts/missing.txt", "m1"));

        assertThatThrownBy(() -> catalog(dir, true).resolve("lost"))
                .isInstanceOf(AnnotatorConfigException.class)
                .hasMessageContaining("annotator lost")
                .hasMessageContaining("prompt template '/nowhere/judge_prompt.txt' not found")
                .hasMessageContaining(dir.resolve("judge_prompt.txt").toString());
        assertThatThrownBy(() -> catalog(dir, true).resolve("lost_relative"))
                .hasMessageContaining("prompts/missing.txt");
    }

    @Test
    void aTemplateMayBeWrittenIntoTheConfig() throws IOException {
        Files.writeString(dir.resolve("inline.yaml"), """
                inline:
                  prompt_template: "<|im_start|>user\\nQ: {instruction} A: {output_1} B: {output_2}<|im_end|>"
                  completions_kwargs:
                    model_name: "judge"
                  fn_completion_parser: "regex_parser"
                  completion_parser_kwargs:
                    outputs_to_match:
                      1: '(?:^|\\n) ?A'
                      2: '(?:^|\\n) ?B'
                """);

        Annotator annotator = catalog(dir, true).resolve("inline");

        assertThat(annotator.messages("x", "y", "z"))
                .containsExactly(new PromptMessage("user", "Q: x A: y B: z", null));
        assertThat(annotator.parser().name()).isEqualTo("regex_parser");
        // alpaca_eval's defaults for what the config leaves out
        assertThat(annotator.requestParams().toString())
                .isEqualTo("{\"max_tokens\":2048,\"temperature\":0.7,\"top_p\":1.0}");
    }

    @Test
    void downloadsAlpacaEvalConfigsOnceAndThenReadsTheCache() {
        repository.stubFor(get(urlEqualTo(PREFIX + "remote_judge/configs.yaml"))
                .willReturn(aResponse()
                        .withBody(halosStyleConfig("shared_prompts/judge.txt", "remote-model")
                                .replace("alpaca_eval_gpt4", "remote_judge"))));
        repository.stubFor(get(urlEqualTo(PREFIX + "shared_prompts/judge.txt"))
                .willReturn(aResponse().withBody(TEMPLATE)));

        Annotator downloaded = catalog(null, false).resolve("remote_judge");
        repository.resetAll();
        Annotator cached = catalog(null, true).resolve("remote_judge");

        assertThat(downloaded.model()).isEqualTo("remote-model");
        assertThat(downloaded.template().text()).isEqualTo(TEMPLATE);
        assertThat(cacheDir.resolve("judges/alpaca_eval/" + COMMIT + "/remote_judge/configs.yaml"))
                .exists();
        assertThat(cacheDir.resolve("judges/alpaca_eval/" + COMMIT + "/shared_prompts/judge.txt"))
                .exists();
        assertThat(cached.configHash()).isEqualTo(downloaded.configHash());
        assertThat(repository.getAllServeEvents()).isEmpty();
    }

    @Test
    void aDownloadThatFailsOnTheWayIsTriedAgainAndARefusalIsNot() {
        String config = PREFIX + "remote_judge/configs.yaml";
        repository.stubFor(get(urlEqualTo(config))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("reset"));
        repository.stubFor(get(urlEqualTo(config))
                .inScenario("flaky")
                .whenScenarioStateIs("reset")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("up"));
        repository.stubFor(get(urlEqualTo(config))
                .inScenario("flaky")
                .whenScenarioStateIs("up")
                .willReturn(aResponse()
                        .withBody(halosStyleConfig("shared_prompts/judge.txt", "remote-model")
                                .replace("alpaca_eval_gpt4", "remote_judge"))));
        repository.stubFor(get(urlEqualTo(PREFIX + "shared_prompts/judge.txt"))
                .willReturn(aResponse().withBody(TEMPLATE)));

        assertThat(catalog(null, false).resolve("remote_judge").model()).isEqualTo("remote-model");
        repository.verify(3, getRequestedFor(urlEqualTo(config)));

        repository.resetAll();
        repository.stubFor(get(urlEqualTo(PREFIX + "busy_judge/configs.yaml"))
                .willReturn(aResponse().withStatus(502)));
        repository.stubFor(get(urlEqualTo(PREFIX + "private_judge/configs.yaml"))
                .willReturn(aResponse().withStatus(403)));
        assertThatThrownBy(() -> catalog(null, false).resolve("busy_judge"))
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("3 attempts");
        assertThatThrownBy(() -> catalog(null, false).resolve("private_judge")).hasMessageContaining("HTTP 403");
        repository.verify(3, getRequestedFor(urlEqualTo(PREFIX + "busy_judge/configs.yaml")));
        repository.verify(1, getRequestedFor(urlEqualTo(PREFIX + "private_judge/configs.yaml")));
    }

    @Test
    void anUnknownNameIsAClearErrorOnlineAndOffline() throws Exception {
        assertThatThrownBy(() -> catalog(testConfigs(), false).resolve("no_such_judge"))
                .isInstanceOf(AnnotatorConfigException.class)
                .hasMessageContaining("no_such_judge")
                .hasMessageContaining("not one of alpaca_eval's evaluators_configs at commit " + COMMIT);
        repository.resetAll();

        assertThatThrownBy(() -> catalog(testConfigs(), true).resolve("weighted_alpaca_eval_gpt4_turbo"))
                .isInstanceOf(AnnotatorConfigException.class)
                .hasMessageContaining("annotator weighted_alpaca_eval_gpt4_turbo not found")
                .hasMessageContaining("offline mode")
                .hasMessageContaining("weighted_alpaca_eval_gpt4_turbo/configs.yaml");
        assertThat(repository.getAllServeEvents()).isEmpty();
        assertThatThrownBy(() -> catalog(dir, true).resolve("../secrets"))
                .hasMessageContaining("is not an annotator name");
    }

    @Test
    void refusesWhatItCannotJudgeLikeUpstream() throws IOException {
        Files.writeString(dir.resolve("t.txt"), TEMPLATE);
        String base = halosStyleConfig("t.txt", "gpt-4.1");
        assertRefused(base + "other_judge:\n  prompt_template: t.txt\n", "pool of 2 annotators");
        assertRefused(base.replace("batch_size: 1", "batch_size: 5"), "batch_size 5");
        assertRefused(base.replace("\"openai_completions\"", "\"anthropic_completions\""), "anthropic_completions");
        assertRefused(base.replace("\"logprob_parser\"", "\"json_parser\""), "json_parser");
        assertRefused(base.replace("\"gpt-4.1\"", "\"gpt-3.5-turbo-instruct\""), "requires_chatml: true");
        assertRefused(
                base.replace("    logprobs: true", "    tokens_to_avoid: [\"x\"]\n    logprobs: true"),
                "tokens_to_avoid");
        assertRefused(base.replace("\"completions_all\"", "\"completions\""), "logprob_parser reads completion_key");
        assertRefused(base.replace("batch_size: 1", "batch_size: 1\n  surprise: 3"), "unknown key 'surprise'");
        Files.writeString(dir.resolve("t.txt"), TEMPLATE + "{annotator}");
        assertRefused(base, "placeholder {annotator}");
    }

    private void assertRefused(String yaml, String message) throws IOException {
        Files.writeString(dir.resolve("refused.yaml"), yaml);
        assertThatThrownBy(() -> catalog(dir, true).resolve("refused"))
                .isInstanceOf(AnnotatorConfigException.class)
                .hasMessageContaining("annotator refused")
                .hasMessageContaining(message);
    }

    @Test
    void theConfigHashCoversWhatChangesTheAnswerAndNothingElse() throws IOException {
        Files.writeString(dir.resolve("t.txt"), TEMPLATE);
        Files.writeString(dir.resolve("t2.txt"), TEMPLATE.replace("better", "best"));
        String base = halosStyleConfig("t.txt", "gpt-4.1");
        Files.writeString(dir.resolve("a.yaml"), base);
        Files.writeString(dir.resolve("renamed.yaml"), base.replace("alpaca_eval_gpt4:", "another_name:"));
        Files.writeString(dir.resolve("binarized.yaml"), base.replace("is_binarize: false", "is_binarize: true"));
        Files.writeString(dir.resolve("other_template.yaml"), base.replace("t.txt", "t2.txt"));
        Files.writeString(dir.resolve("other_top.yaml"), base.replace("top_logprobs: 5", "top_logprobs: 20"));
        AnnotatorCatalog catalog = catalog(dir, true);
        String hash = catalog.resolve("a").configHash();

        assertThat(catalog.resolve("renamed").configHash()).isEqualTo(hash);
        assertThat(catalog.resolve("binarized").configHash())
                .as("parsers re-read cached answers")
                .isEqualTo(hash);
        assertThat(catalog.resolve("other_template").configHash()).isNotEqualTo(hash);
        assertThat(catalog.resolve("other_top").configHash()).isNotEqualTo(hash);
    }
}
