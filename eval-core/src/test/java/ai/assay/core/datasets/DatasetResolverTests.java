package ai.assay.core.datasets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.lmeval.testing.TestDatasets;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class DatasetResolverTests {

    private static final DatasetSplit ARC_TEST = new DatasetSplit("allenai/ai2_arc", "ARC-Easy", "test");
    private static final String LISTING = "/api/datasets/allenai/ai2_arc/parquet/ARC-Easy/test";
    private static final String TOKEN = "hf_test_token_123";
    private static final int RETRIES = 2;

    @TempDir
    Path temp;

    private WireMockServer hub;
    private WireMockServer storage;
    private Path fixtures;

    @BeforeEach
    void start() {
        hub = new WireMockServer(options().dynamicPort());
        storage = new WireMockServer(options().dynamicPort());
        hub.start();
        storage.start();
        fixtures = TestDatasets.writeTo(temp.resolve("fixtures"));
    }

    @AfterEach
    void stop() {
        hub.stop();
        storage.stop();
    }

    private DatasetProperties properties(Path dir, boolean offline, String token) {
        return new DatasetProperties(
                dir,
                null,
                URI.create(hub.baseUrl()),
                token,
                offline,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                RETRIES,
                Duration.ofMillis(10));
    }

    private DatasetResolver resolver(Path dir, boolean offline, String token) {
        return new DatasetResolver(properties(dir, offline, token), temp.resolve("cache"));
    }

    private List<ObjectNode> fixtureRows() {
        return RowFiles.readJsonLines(fixtures.resolve("allenai/ai2_arc/ARC-Easy/test.jsonl"));
    }

    /** The fixture rows as the Hub serves them: a parquet file written at test time. */
    private byte[] fixtureParquet() throws IOException {
        Path parquet = temp.resolve("served.parquet");
        RowFiles.writeParquet(fixtures.resolve("allenai/ai2_arc/ARC-Easy/test.jsonl"), parquet);
        return Files.readAllBytes(parquet);
    }

    private void serveHubParquet(byte[] parquet, String announcedSha256) {
        hub.stubFor(get(urlEqualTo(LISTING))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[\"" + hub.baseUrl() + LISTING + "/0.parquet\"]")));
        hub.stubFor(
                get(urlEqualTo(LISTING + "/0.parquet"))
                        .willReturn(
                                aResponse()
                                        .withStatus(302)
                                        .withHeader(
                                                "Location",
                                                "/datasets/allenai/ai2_arc/resolve/refs%2Fconvert%2Fparquet/ARC-Easy/test/0000.parquet")));
        var resolve = aResponse().withStatus(302).withHeader("Location", storage.baseUrl() + "/blob/abc");
        if (announcedSha256 != null) {
            resolve = resolve.withHeader("X-Linked-Etag", "\"" + announcedSha256 + "\"");
        }
        hub.stubFor(
                get(urlEqualTo("/datasets/allenai/ai2_arc/resolve/refs%2Fconvert%2Fparquet/ARC-Easy/test/0000.parquet"))
                        .willReturn(resolve));
        storage.stubFor(get(urlEqualTo("/blob/abc")).willReturn(aResponse().withBody(parquet)));
    }

    @Test
    void readsTheDatasetsDirectoryFirst() {
        DatasetRows rows = resolver(fixtures, false, null).load(ARC_TEST);

        assertThat(rows.origin()).isEqualTo(DatasetOrigin.DIRECTORY);
        assertThat(rows.location()).endsWith("allenai/ai2_arc/ARC-Easy/test.jsonl");
        assertThat(rows.size()).isEqualTo(40);
        ObjectNode first = rows.rows().get(0);
        assertThat(first.get("id").asString()).isEqualTo("Mercury_417466");
        assertThat(first.propertyNames()).containsExactly("id", "question", "choices", "answerKey");
        assertThat(first.get("choices").get("label").get(3).asString()).isEqualTo("D");
        assertThat(hub.getAllServeEvents()).isEmpty();
    }

    @Test
    void prefersParquetToJsonLinesInTheDirectory() {
        Path directory = fixtures.resolve("allenai/ai2_arc/ARC-Easy");
        RowFiles.writeParquet(directory.resolve("train.jsonl"), directory.resolve("test.parquet"));

        DatasetRows rows = resolver(fixtures, false, null).load(ARC_TEST);

        assertThat(rows.location()).endsWith("test.parquet");
        assertThat(rows.size()).isEqualTo(10);
    }

    @Test
    void parquetRowsEqualTheJsonRowsTheyWereWrittenFrom() throws IOException {
        Path parquet = temp.resolve("tq.parquet");
        Path jsonl = fixtures.resolve("truthfulqa/truthful_qa/multiple_choice/validation.jsonl");
        RowFiles.writeParquet(jsonl, parquet);

        assertThat(RowFiles.readParquet(parquet)).isEqualTo(RowFiles.readJsonLines(jsonl));
    }

    @Test
    void widensFloatColumnsAsPythonDoes() throws Exception {
        Path parquet = temp.resolve("floats.parquet");
        try (var connection = DriverManager.getConnection("jdbc:duckdb:");
                var statement = connection.createStatement()) {
            statement.execute(
                    "COPY (SELECT 0.1::FLOAT AS f, 0.1::DOUBLE AS d, 'a' AS s) TO '" + parquet + "' (FORMAT parquet)");
        }

        ObjectNode row = RowFiles.readParquet(parquet).get(0);

        assertThat(row.get("f").doubleValue()).isEqualTo((double) 0.1f);
        assertThat(row.get("d").doubleValue()).isEqualTo(0.1);
        assertThat(row.propertyNames()).containsExactly("f", "d", "s");
    }

    @Test
    void downloadsFromTheHubWithTheTokenThenReadsTheVerifiedCache() throws IOException {
        byte[] parquet = fixtureParquet();
        serveHubParquet(parquet, Sha256.of(temp.resolve("served.parquet")));
        DatasetResolver resolver = resolver(null, false, TOKEN);

        DatasetRows downloaded = resolver.load(ARC_TEST);

        assertThat(downloaded.origin()).isEqualTo(DatasetOrigin.HUB);
        assertThat(downloaded.rows()).isEqualTo(fixtureRows());
        assertThat(downloaded.sha256()).isEqualTo(Sha256.of(temp.resolve("served.parquet")));
        hub.verify(getRequestedFor(urlEqualTo(LISTING)).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        storage.verify(getRequestedFor(urlEqualTo("/blob/abc")).withHeader("Authorization", absent()));
        Path cached = temp.resolve("cache/allenai/ai2_arc/ARC-Easy/test");
        assertThat(cached.resolve("0000.parquet")).exists();
        assertThat(Files.readString(cached.resolve("manifest.json"))).contains(downloaded.sha256());

        DatasetRows again = resolver.load(ARC_TEST);

        assertThat(again.origin()).isEqualTo(DatasetOrigin.CACHE);
        assertThat(again.rows()).isEqualTo(downloaded.rows());
        hub.verify(1, getRequestedFor(urlEqualTo(LISTING)));
    }

    @Test
    void refusesADownloadWhoseChecksumDiffersFromTheAnnouncedOne() throws IOException {
        serveHubParquet(fixtureParquet(), "0".repeat(64));

        assertThatThrownBy(() -> resolver(null, false, null).load(ARC_TEST))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("corrupt")
                .hasMessageContaining("the Hub announced " + "0".repeat(64));
        storage.verify(1, getRequestedFor(urlEqualTo("/blob/abc")));
        assertThat(temp.resolve("cache/allenai/ai2_arc/ARC-Easy/test")).doesNotExist();
    }

    @Test
    void downloadsAgainWhenACachedFileNoLongerMatchesItsChecksum() throws IOException {
        serveHubParquet(fixtureParquet(), null);
        DatasetResolver resolver = resolver(null, false, null);
        resolver.load(ARC_TEST);
        Path file = temp.resolve("cache/allenai/ai2_arc/ARC-Easy/test/0000.parquet");
        Files.write(file, new byte[] {1, 2, 3});

        DatasetRows rows = resolver.load(ARC_TEST);

        assertThat(rows.origin()).isEqualTo(DatasetOrigin.HUB);
        assertThat(rows.size()).isEqualTo(40);
        hub.verify(2, getRequestedFor(urlEqualTo(LISTING)));
    }

    @Test
    void offlineACorruptCacheIsAnErrorThatNamesTheFile() throws IOException {
        serveHubParquet(fixtureParquet(), null);
        resolver(null, false, null).load(ARC_TEST);
        Files.write(temp.resolve("cache/allenai/ai2_arc/ARC-Easy/test/0000.parquet"), new byte[] {1});

        assertThatThrownBy(() -> resolver(null, true, null).load(ARC_TEST))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("0000.parquet")
                .hasMessageContaining("offline");
    }

    @Test
    void offlineAMissingSplitIsAnErrorNamingWhereItWasLookedFor() {
        assertThatThrownBy(() -> resolver(fixtures, true, null)
                        .load(new DatasetSplit("allenai/ai2_arc", "ARC-Easy", "validation")))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining(fixtures.resolve("allenai/ai2_arc/ARC-Easy/validation") + ".parquet|.jsonl")
                .hasMessageContaining(temp.resolve("cache/allenai/ai2_arc/ARC-Easy/validation/manifest.json")
                        .toString())
                .hasMessageContaining("assay.datasets.offline=true");
        assertThat(hub.getAllServeEvents()).isEmpty();
    }

    @Test
    void aGatedDatasetWithoutTokenSaysWhatToDo() {
        hub.stubFor(get(urlEqualTo("/api/datasets/skg/toxigen-data/parquet/annotated/test"))
                .willReturn(aResponse().withStatus(401)));

        assertThatThrownBy(() ->
                        resolver(null, false, null).load(new DatasetSplit("skg/toxigen-data", "annotated", "test")))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("gated")
                .hasMessageContaining("assay.datasets.hf-token")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aSplitTheHubDoesNotHaveIsA404Error() {
        assertThatThrownBy(() -> resolver(null, false, null).load(ARC_TEST))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("HTTP 404");
        hub.verify(1, getRequestedFor(urlEqualTo(LISTING)));
    }

    @Test
    void triesAgainWhenTheHubIsBusyOrTheTransferBreaks() throws IOException {
        serveHubParquet(fixtureParquet(), Sha256.of(temp.resolve("served.parquet")));
        // The listing: 503, then 429, then the real answer; the file: a reset connection, then its bytes.
        hub.stubFor(get(urlEqualTo(LISTING))
                .inScenario("listing")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("busy"));
        hub.stubFor(get(urlEqualTo(LISTING))
                .inScenario("listing")
                .whenScenarioStateIs("busy")
                .willReturn(aResponse().withStatus(429))
                .willSetStateTo("up"));
        hub.stubFor(get(urlEqualTo(LISTING))
                .inScenario("listing")
                .whenScenarioStateIs("up")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[\"" + hub.baseUrl() + LISTING + "/0.parquet\"]")));
        byte[] parquet = Files.readAllBytes(temp.resolve("served.parquet"));
        storage.stubFor(get(urlEqualTo("/blob/abc"))
                .inScenario("blob")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("up"));
        storage.stubFor(get(urlEqualTo("/blob/abc"))
                .inScenario("blob")
                .whenScenarioStateIs("up")
                .willReturn(aResponse().withBody(parquet)));

        DatasetRows rows = resolver(null, false, null).load(ARC_TEST);

        assertThat(rows.origin()).isEqualTo(DatasetOrigin.HUB);
        assertThat(rows.rows()).isEqualTo(fixtureRows());
        hub.verify(3, getRequestedFor(urlEqualTo(LISTING)));
        storage.verify(2, getRequestedFor(urlEqualTo("/blob/abc")));
    }

    @Test
    void givesUpAfterTheConfiguredRetriesAndSaysHowManyAttemptsWereMade() {
        hub.stubFor(get(urlEqualTo(LISTING)).willReturn(aResponse().withStatus(502)));

        assertThatThrownBy(() -> resolver(null, false, null).load(ARC_TEST))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining((RETRIES + 1) + " attempts");
        hub.verify(RETRIES + 1, getRequestedFor(urlEqualTo(LISTING)));
        assertThat(temp.resolve("cache/allenai/ai2_arc/ARC-Easy/test")).doesNotExist();
    }

    @Test
    void anUnreachableHubIsTriedAgainThenNamedWithWhatToDoInstead() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DatasetProperties unreachable = new DatasetProperties(
                null,
                null,
                URI.create("http://127.0.0.1:" + closedPort),
                null,
                false,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                1,
                Duration.ofMillis(10));

        assertThatThrownBy(() -> new DatasetResolver(unreachable, temp.resolve("cache")).load(ARC_TEST))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("cannot reach the Hub")
                .hasMessageContaining("assay.datasets.dir")
                .hasMessageContaining("2 attempts");
    }

    @Test
    void theTokenIsNeverPrinted() {
        assertThat(properties(null, false, TOKEN).toString())
                .doesNotContain(TOKEN)
                .contains("(set)");
    }

    @Test
    void rejectsNamesThatWouldLeaveTheDirectory() {
        assertThatThrownBy(() -> new DatasetSplit("../etc", null, "test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DatasetSplit("a/b", "x/y", "test")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new DatasetSplit("Rowan/hellaswag", null, "validation").config())
                .isEqualTo("default");
    }
}
