package io.emostream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.testkit.ScriptedSpeechLmServer;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * bin/emotion demo as a supervisor meets it: the whole pipeline in one JVM, the dashboard opened in a real
 * headless Chromium. Calls appear on the wallboard, the escalating sample raises an alert in the feed, the call view
 * draws its chart, a sample that has been replayed to its end moves from the live cards to "Recently ended" and
 * still opens; then the demo is stopped and must let go of everything. Screenshots go to target/.
 */
@Timeout(300)
class DemoDashboardTest {
    private static final String CHROMIUM = System.getenv().getOrDefault("EMOSTREAM_CHROMIUM", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getenv().getOrDefault("EMOSTREAM_CHROMEDRIVER", "/usr/bin/chromedriver");
    /** Selenium warns that it has no DevTools bindings for this Chromium; the test uses none. Held: JUL keeps loggers weakly. */
    private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    @Test
    void aSupervisorSeesLiveCallsAnEscalationAlertAndACallsTimeline() throws Exception {
        assertThat(new File(CHROMIUM).canExecute()).as("headless Chromium at %s (apt-get install chromium, or set EMOSTREAM_CHROMIUM)", CHROMIUM).isTrue();
        assertThat(new File(CHROMEDRIVER).canExecute()).as("chromedriver at %s (apt-get install chromium-driver, or set EMOSTREAM_CHROMEDRIVER)", CHROMEDRIVER).isTrue();
        CDP_LOG.setLevel(Level.SEVERE);

        StringWriter stdout = new StringWriter();
        AtomicInteger status = new AtomicInteger(-1);
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(stdout, true));
        // The cascade asks a SpeechLM about the alerting utterances; it answers each call's first, fails its second, and so on.
        Map<String, AtomicInteger> askedPerCall = new ConcurrentHashMap<>();
        ScriptedSpeechLmServer speechLm = new ScriptedSpeechLmServer(seen -> {
            String call = seen.utteranceId().substring(0, seen.utteranceId().indexOf('/'));
            return askedPerCall.computeIfAbsent(call, c -> new AtomicInteger()).getAndIncrement() % 2 == 0
                    ? ScriptedSpeechLmServer.answer("", "angry", "A loud voice and sharp words → angry.")
                    : new ScriptedSpeechLmServer.Status(500, "{\"error\": \"overloaded\"}");
        });
        String model = "cue+speechlm:" + speechLm.baseUrl() + "?ask=alerting&retries=0";
        Thread demo = new Thread(() -> status.set(cli.execute("demo", "--port", "0", "--model", model)), "demo-under-test");
        demo.start();
        String url = awaitUrl(stdout, demo);

        WebDriver browser = chromium();
        try {
            browser.get(url);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
            wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#calls article.call"), 1));
            wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#alerts div.alert[data-alert-id^='customer_escalation/call-escalating-']")));
            WebElement escalating = browser.findElement(By.cssSelector("#calls article.call[data-call-id^='call-escalating-']"));
            assertThat(escalating.getAttribute("data-attention")).isIn("1", "2");
            assertThat(browser.findElement(By.cssSelector("#calls article.call")).getAttribute("data-call-id"))
                    .as("the call that needs attention comes first").startsWith("call-escalating-");
            assertThat(escalating.findElements(By.cssSelector("svg.sparkline"))).isNotEmpty();
            // The samples name their agents and series: both appear with their windows.
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#groups tr.group[data-group='agent/sam']")));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#groups tr.group[data-group='series/billing']")));
            screenshot(browser, "dashboard-wallboard.png");

            escalating.findElement(By.cssSelector("a.call-link")).click();
            wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#utterances li.utterance"), 2));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart svg.timeline polyline.line-arousal")));
            List<WebElement> utterances = browser.findElements(By.cssSelector("#utterances li.utterance"));
            assertThat(utterances.get(0).findElement(By.cssSelector("p.rationale")).getText()).contains("→");
            assertThat(browser.findElements(By.cssSelector("#chart g.series"))).hasSizeGreaterThanOrEqualTo(2);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#utterances p.provenance.speechlm-answered")));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#utterances p.provenance.speechlm-fallback")));
            assertThat(browser.findElement(By.cssSelector("#utterances p.speechlm-answered")).getText())
                    .startsWith("Label and rationale by speechlm:" + ScriptedSpeechLmServer.SERVED_MODEL + "@127.0.0.1:");
            WebElement fallback = browser.findElement(By.cssSelector("#utterances p.speechlm-fallback"));
            assertThat(fallback.getText()).isEqualTo("SpeechLM failed: showing the local model's result");
            assertThat(fallback.getAttribute("title")).startsWith("the server answered HTTP 500");
            ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", fallback);
            screenshot(browser, "dashboard-speechlm.png");
            screenshot(browser, "dashboard-call.png");

            // A sample ends (its file was replayed to the end): it leaves the live cards for "Recently ended".
            browser.get(url);
            WebElement endedRow = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#ended-body tr.ended-call")));
            String endedCall = endedRow.getAttribute("data-call-id");
            assertThat(browser.findElements(By.cssSelector("#calls article.call[data-call-id='" + endedCall + "']")))
                    .as("an ended call has no live card").isEmpty();
            assertThat(browser.findElement(By.id("ended")).getAttribute("open")).as("collapsed by default").isNull();
            assertThat(endedRow.isDisplayed()).isFalse();
            wait.until(b -> b.findElement(By.id("call-count")).getText().equals(
                    b.findElements(By.cssSelector("#calls article.call")).size() + " live call"
                            + (b.findElements(By.cssSelector("#calls article.call")).size() == 1 ? "" : "s")));
            browser.findElement(By.cssSelector("#ended > summary")).click();
            WebElement endedLink = browser.findElement(By.cssSelector("#ended-body tr.ended-call a.call-link"));
            wait.until(ExpectedConditions.visibilityOf(endedLink));
            ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", endedLink);
            screenshot(browser, "dashboard-ended.png");
            String opened = endedLink.getText();
            endedLink.click();
            wait.until(ExpectedConditions.textToBe(By.id("call-id"), opened));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#call-meta span.call-ended")));
            assertThat(browser.findElements(By.cssSelector("#utterances li.utterance"))).isNotEmpty();
        } finally {
            browser.quit();
            demo.interrupt();
            demo.join(Duration.ofSeconds(90).toMillis());
            speechLm.close();
        }
        assertThat(demo.isAlive()).as("the demo stops when told to").isFalse();
        assertThat(status.get()).isZero();
    }

    private static String awaitUrl(StringWriter stdout, Thread demo) throws InterruptedException {
        Pattern dashboard = Pattern.compile("dashboard at (http://\\S+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && demo.isAlive()) {
            Matcher found = dashboard.matcher(stdout.toString());
            if (found.find()) {
                return found.group(1);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the demo printed no dashboard address; it said: " + stdout);
    }

    private static WebDriver chromium() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // --no-sandbox: Chromium refuses to start as root (CI) with its sandbox on.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000");
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
