package ai.assay.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.assay.api.ApiIntegrationTest;
import ai.assay.api.leaderboard.LeaderboardFixtures;
import ai.assay.core.evaluation.EvaluationEndings;
import ai.assay.core.leaderboard.LeaderboardTestData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The web pages in headless Chromium: the leaderboard's rows, interval bars and length chart are really drawn
 * (checked on the screenshot's pixels), the evaluation page follows a running evaluation, the comparison page shows
 * the two outputs side by side. One browser for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPagesBrowserTests extends ApiIntegrationTest {

    private static final List<String> MODELS = List.of("claude-2", "gpt-3.5-turbo-1106", "alpaca-7b");

    @DynamicPropertySource
    static void lengthControlData(DynamicPropertyRegistry registry) {
        LeaderboardFixtures.lengthControlData(registry);
    }

    @Autowired
    private EvaluationEndings endings;

    @Autowired
    private PlatformTransactionManager transactions;

    @LocalServerPort
    private int port;

    private ChromeDriver browser;
    private Path profile;
    private LeaderboardTestData data;

    @BeforeAll
    void startBrowser() {
        assumeTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver (see .ci/run)");
        data = LeaderboardFixtures.data(jdbc, endings, transactions);
        for (String model : MODELS) {
            data.alpacaEval(model, LeaderboardFixtures.annotations(model, model), Map.of("run", "ui"));
        }
        profile = HeadlessChromium.freshProfile();
        browser = HeadlessChromium.start(profile);
        signIn("/ui/leaderboard?label=run:ui");
    }

    /**
     * Signs the browser in as a person would: it asks for a page, is sent to the sign-in form, pastes a token and
     * is sent back to the page it asked for.
     */
    private void signIn(String page) {
        browser.get(url(page));
        assertThat(browser.getCurrentUrl()).contains("/sign-in");
        browser.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
        browser.findElement(By.id("sign-in")).click();
        // the click returns once the form is submitted, not always after the redirect back has loaded: wait for
        // the page asked for (a refused token leaves the browser on the sign-in form, and the wait fails)
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> url(page).equals(d.getCurrentUrl()));
        assertThat(browser.getCurrentUrl()).isEqualTo(url(page));
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        HeadlessChromium.deleteQuietly(profile);
    }

    @Test
    void leaderboardRowsIntervalBarsAndTheLengthChartAreDrawn() throws IOException {
        browser.get(url("/ui/leaderboard?label=run:ui"));

        List<WebElement> rows = browser.findElements(By.cssSelector("#leaderboard tbody tr.row"));
        assertThat(rows)
                .extracting(row ->
                        row.findElement(By.cssSelector("td:nth-child(3)")).getText())
                .containsExactlyElementsOf(MODELS);
        assertThat(browser.findElements(By.cssSelector("#length-chart circle"))).hasSize(3);

        BufferedImage screenshot = screenshot("leaderboard");
        WebElement chart = browser.findElement(By.id("length-chart"));
        WebElement table = browser.findElement(By.id("leaderboard"));
        // the three points: solid blue discs of radius 6 (about 110 pixels each)
        assertThat(count(screenshot, chart.getRect(), HeadlessChromium_Colours::pointBlue))
                .isGreaterThan(200);
        // the axes and tick labels: dark pixels inside the chart
        assertThat(count(screenshot, chart.getRect(), HeadlessChromium_Colours::dark))
                .isGreaterThan(300);
        // each row has its model name in dark text and an interval bar in light blue
        for (WebElement row : rows) {
            Rectangle rect = row.getRect();
            assertThat(count(screenshot, rect, HeadlessChromium_Colours::dark))
                    .as("text of a row")
                    .isGreaterThan(50);
            assertThat(count(screenshot, rect, HeadlessChromium_Colours::barBlue))
                    .as("interval bar")
                    .isGreaterThan(8);
        }
        // and the table as a whole is not blank
        assertThat(count(screenshot, table.getRect(), HeadlessChromium_Colours::dark))
                .isGreaterThan(1000);
    }

    @Test
    void theEvaluationPageFollowsARunningEvaluation() {
        UUID id = data.startEvaluation("live-model", Map.of("run", "ui-live"), List.of("smoke"));
        long task = data.taskId(id, "smoke");
        progress(task, 2, 10);

        browser.get(url("/ui/evaluations/" + id));
        assertThat(browser.findElement(By.cssSelector("#state")).getText()).isEqualTo("running");
        assertThat(browser.findElement(By.cssSelector(".task-done")).getText()).isEqualTo("2 / 10");

        progress(task, 7, 10);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.until(d -> d.findElement(By.cssSelector(".task-done")).getText().equals("7 / 10"));
        assertThat(browser.findElement(By.cssSelector(".progress-fill")).getAttribute("style"))
                .contains("70%");

        data.metric(task, "acc", 0.5, 0.1, 10);
        data.finishTask(task);
        data.end(id);
        wait.until(d -> d.findElement(By.cssSelector("#state")).getText().equals("succeeded"));
        assertThat(browser.findElement(By.cssSelector(".task-metrics")).getText())
                .contains("acc 0.5000");
    }

    @Test
    void theComparisonPageShowsBothOutputsSideBySide() throws IOException {
        browser.get(url("/ui/comparisons?a=claude-2&b=alpaca-7b"));

        assertThat(browser.findElement(By.tagName("h1")).getText())
                .contains("claude-2")
                .contains("alpaca-7b");
        assertThat(browser.findElement(By.cssSelector("table.metrics")).getText())
                .contains("length_controlled_winrate")
                .contains("paired-bootstrap");
        List<WebElement> examples = browser.findElements(By.cssSelector("article.example"));
        assertThat(examples).hasSize(10);
        WebElement a = examples.get(0).findElement(By.cssSelector(".side-a pre.output"));
        WebElement b = examples.get(0).findElement(By.cssSelector(".side-b pre.output"));
        assertThat(a.getText()).isNotBlank();
        assertThat(b.getText()).isNotBlank();
        assertThat(b.getRect().getX())
                .isGreaterThanOrEqualTo(a.getRect().getX() + a.getRect().getWidth());
        assertThat(Math.abs(b.getRect().getY() - a.getRect().getY())).isLessThan(5);
        screenshot("comparison");
    }

    /** Also writes it to $ASSAY_UI_SCREENSHOT_DIR/name.png when that is set, for people to look at. */
    private BufferedImage screenshot(String name) throws IOException {
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        String dir = System.getenv("ASSAY_UI_SCREENSHOT_DIR");
        if (dir != null && !dir.isBlank()) {
            java.nio.file.Files.write(Path.of(dir, name + ".png"), png);
        }
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private void progress(long task, int done, int total) {
        jdbc.sql("""
                UPDATE evaluation_task SET state = 'running', phase = 'generating', done = :done, total = :total,
                       phase_started_at = now() - interval '10 seconds', phase_done_start = 0, started_at = now()
                 WHERE id = :id
                """)
                .param("done", done)
                .param("total", total)
                .param("id", task)
                .update();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static int count(BufferedImage image, Rectangle rect, java.util.function.IntPredicate colour) {
        int n = 0;
        for (int y = Math.max(0, rect.getY()); y < Math.min(image.getHeight(), rect.getY() + rect.getHeight()); y++) {
            for (int x = Math.max(0, rect.getX()); x < Math.min(image.getWidth(), rect.getX() + rect.getWidth()); x++) {
                if (colour.test(image.getRGB(x, y))) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Colour classes of the page's drawing (assay.css and the templates' fills). */
    static final class HeadlessChromium_Colours {

        static boolean pointBlue(int rgb) {
            int r = (rgb >> 16) & 0xff;
            int g = (rgb >> 8) & 0xff;
            int b = rgb & 0xff;
            return b > 150 && r < 110 && g < 150 && b - r > 80;
        }

        static boolean barBlue(int rgb) {
            int r = (rgb >> 16) & 0xff;
            int g = (rgb >> 8) & 0xff;
            int b = rgb & 0xff;
            return b > 200 && r < 190 && b - r > 60 && g > 150;
        }

        static boolean dark(int rgb) {
            int r = (rgb >> 16) & 0xff;
            int g = (rgb >> 8) & 0xff;
            int b = rgb & 0xff;
            return r < 110 && g < 110 && b < 130;
        }
    }
}
