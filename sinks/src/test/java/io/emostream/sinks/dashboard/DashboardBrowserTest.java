package io.emostream.sinks.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.emostream.sinks.calls.AlertRules;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The wallboard and the call view in a real headless Chromium, for a call with over-talk, a phrase category, words
 * that contradict the voice, an unsure label and the agent's emotion withheld by policy. Screenshots go to target/.
 */
@Timeout(120)
class DashboardBrowserTest {
    private static final String CHROMIUM = System.getenv().getOrDefault("EMOSTREAM_CHROMIUM", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getenv().getOrDefault("EMOSTREAM_CHROMEDRIVER", "/usr/bin/chromedriver");
    /** Selenium warns that it has no DevTools bindings for this Chromium; the test uses none. Held: JUL keeps loggers weakly. */
    private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    @Test
    void aSupervisorSeesOverTalkACategoryAndAMismatch() throws Exception {
        assertThat(new File(CHROMIUM).canExecute()).as("headless Chromium at %s (apt-get install chromium, or set EMOSTREAM_CHROMIUM)", CHROMIUM).isTrue();
        assertThat(new File(CHROMEDRIVER).canExecute()).as("chromedriver at %s (apt-get install chromium-driver, or set EMOSTREAM_CHROMEDRIVER)", CHROMEDRIVER).isTrue();
        CDP_LOG.setLevel(Level.SEVERE);
        LiveView view = new LiveView(false, AlertRules.defaults(), Dashboard.CALL_RETENTION.toMillis());
        try (DashboardServer server = DashboardServer.start(DashboardServer.Settings.defaults().withPort(0), view)) {
            AnalysedCall.feed(view, server, AnalysedCall.events("call-7", System.currentTimeMillis()));
            String base = "http://127.0.0.1:" + server.port() + "/";
            WebDriver browser = chromium();
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get(base);
                WebElement card = wait.until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#calls article.call[data-call-id='call-7']")));
                wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(card, By.cssSelector(".conv-overtalk")));
                assertThat(card.findElement(By.cssSelector(".conv-overtalk")).getText()).isEqualTo("over-talk 18%");
                assertThat(card.findElement(By.cssSelector(".conv-dead-air")).getText()).isEqualTo("dead air 1.0 s");
                assertThat(card.findElement(By.cssSelector(".conv-interruptions")).getText()).isEqualTo("1 interruption");
                assertThat(card.findElement(By.cssSelector(".call-categories .category-chip")).getText()).isEqualTo("churn risk");
                assertThat(card.findElement(By.cssSelector("tr.role-row[data-role='AGENT'] .role-label")).getText())
                        .isEqualTo("not analysed (policy)");
                screenshot(browser, "dashboard-conversation-wallboard.png");

                browser.get(base + "call.html?id=call-7");
                wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#utterances li.utterance"), 3));
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#conversation tr.conv-overtalk")));
                assertThat(browser.findElement(By.cssSelector("#conversation tr.conv-overtalk td")).getText())
                        .isEqualTo("2.0 s · 18% of the time anyone spoke");
                assertThat(browser.findElement(By.cssSelector("#conversation tr.conv-dead-air td")).getText())
                        .isEqualTo("1.0 s · 8% of the call · longest 1.0 s");
                assertThat(browser.findElement(By.cssSelector("#conversation tr.conv-interruptions td")).getText())
                        .isEqualTo("CUSTOMER cut in on AGENT ×1");
                assertThat(browser.findElement(By.cssSelector("#conversation tr.conv-talk td")).getText())
                        .isEqualTo("AGENT 69% · CUSTOMER 31%");
                assertThat(browser.findElement(By.id("policy")).getText()).isEqualTo("Emotion is not analysed for AGENT"
                        + " (policy: no-emotion-for AGENT): their label, arousal and valence are not inferred.");

                WebElement cutIn = browser.findElement(By.cssSelector("#utterances li.utterance[data-role='CUSTOMER']"));
                assertThat(cutIn.findElement(By.cssSelector(".category-chip")).getText()).isEqualTo("churn risk");
                assertThat(cutIn.findElement(By.cssSelector(".category-chip")).getAttribute("title"))
                        .isEqualTo("rule cancel-account: “cancel my account”");
                assertThat(cutIn.findElement(By.cssSelector("p.mismatch")).getText())
                        .isEqualTo("words: " + AnalysedCall.POLITE + " / voice: " + AnalysedCall.LOUD);
                assertThat(cutIn.findElement(By.cssSelector(".utt-label")).getText()).isEqualTo("unsure: angry or happy");
                assertThat(browser.findElements(By.cssSelector("#utterances li.utterance[data-role='AGENT'] .utt-label")))
                        .extracting(WebElement::getText).containsExactly("emotion not analysed (policy)", "emotion not analysed (policy)");
                assertThat(browser.findElements(By.cssSelector("#utterances li.utterance[data-role='AGENT'] .utt-av"))).isEmpty();
                screenshot(browser, "dashboard-conversation-call.png");
            } finally {
                browser.quit();
            }
        }
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
