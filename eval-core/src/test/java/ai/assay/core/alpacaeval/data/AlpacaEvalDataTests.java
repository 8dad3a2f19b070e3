package ai.assay.core.alpacaeval.data;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.datasets.DatasetProperties;
import ai.assay.core.datasets.DatasetUnavailableException;
import ai.assay.core.datasets.HubRepositoryFiles;
import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** AlpacaEval's files from a data directory, or from a stub Hub with a cache and an offline mode. */
class AlpacaEvalDataTests {

    private static final String PATH = "/datasets/tatsu-lab/alpaca_eval/resolve/main/";

    @TempDir
    Path cache;

    private final Path fixtures = AlpacaEvalFixtures.dataDirectory();
    private WireMockServer hub;

    @BeforeEach
    void serveTheFilesFromAStubHub() throws Exception {
        hub = new WireMockServer(options().dynamicPort());
        hub.start();
        for (String file :
                new String[] {"alpaca_eval_gpt4_baseline.json", "df_gamed.csv", "instruction_difficulty.csv"}) {
            hub.stubFor(get(urlEqualTo(PATH + file))
                    .willReturn(aResponse().withStatus(200).withBody(Files.readAllBytes(fixtures.resolve(file)))));
        }
    }

    @AfterEach
    void stopHub() {
        hub.stop();
    }

    private AlpacaEvalData data(Path dataDir, boolean offline, String token) {
        DatasetProperties datasets = new DatasetProperties(
                null,
                cache,
                URI.create("http://127.0.0.1:" + hub.port()),
                token,
                offline,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                0,
                Duration.ZERO);
        return new AlpacaEvalData(
                new AlpacaEvalProperties(dataDir, "tatsu-lab/alpaca_eval", "main"),
                new HubRepositoryFiles(datasets, cache),
                JsonMapper.builder().build());
    }

    @Test
    void readsTheDataDirectoryWithoutTheHub() {
        AlpacaEvalData data = data(fixtures, true, null);

        assertThat(data.evalSet()).hasSize(805);
        assertThat(data.evalSet().get(0).index()).isZero();
        assertThat(data.evalSet().get(0).generator()).isEqualTo("gpt4_1106_preview");
        assertThat(data.lengthControlData().instructionDifficulty()).isNotNull();
        assertThat(hub.getAllServeEvents()).isEmpty();
    }

    @Test
    void downloadsOnceWithTheTokenThenReadsTheCache() {
        assertThat(data(null, false, "hf_secret").evalSet()).hasSize(805);
        data(null, false, "hf_secret").lengthControlData();

        hub.verify(
                1,
                getRequestedFor(urlEqualTo(PATH + "alpaca_eval_gpt4_baseline.json"))
                        .withHeader("Authorization", equalTo("Bearer hf_secret")));
        AlpacaEvalData offline = data(null, true, null);
        assertThat(offline.evalSet()).hasSize(805);
        assertThat(offline.lengthControlData()).isNotNull();
        hub.verify(1, getRequestedFor(urlEqualTo(PATH + "df_gamed.csv")));
    }

    @Test
    void offlineWithoutACopyIsAClearError() {
        assertThatThrownBy(() -> data(null, true, null).evalSet())
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("alpaca_eval_gpt4_baseline.json")
                .hasMessageContaining("offline");
    }

    @Test
    void aCorruptDownloadIsRefused() {
        hub.stubFor(get(urlEqualTo(PATH + "df_gamed.csv"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("X-Linked-Etag", "\"" + "0".repeat(64) + "\"")
                        .withBody("index,preference\n")));

        assertThatThrownBy(() -> data(null, false, null).lengthControlData())
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("corrupt");
    }
}
