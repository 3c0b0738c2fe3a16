package io.tidepool.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: both named by path, so that
 * Selenium Manager never looks for (or downloads) a browser or a driver of its own. Each browser
 * has a fresh profile in the test's temporary directory.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PAGE_LOAD = Duration.ofSeconds(60);

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Skips the calling test, saying why, where the machine has no Chromium or chromedriver. */
    static void assumeInstalled() {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            assumeTrue(Files.isExecutable(binary), binary + " is missing: the console's browser test needs Debian's"
                    + " chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them)");
        }
    }

    static Browser start(Path profile, Path driverLog) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD);
        return new Browser(driver);
    }

    void open(String url) {
        driver.get(url);
    }

    String url() {
        return driver.getCurrentUrl();
    }

    String title() {
        return driver.getTitle();
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    WebElement first(String css) {
        List<WebElement> found = all(css);
        return found.isEmpty() ? null : found.get(0);
    }

    String text(String css) {
        WebElement element = first(css);
        return element == null ? "" : element.getText();
    }

    /** A data attribute of the first element matching {@code css}; null when there is none. */
    String data(String css, String name) {
        WebElement element = first(css);
        return element == null ? null : element.getDomAttribute("data-" + name);
    }

    /**
     * The text of every element matching {@code css}, read in one step in the page: live pages
     * redraw, so an element found in one call may be gone by the next.
     */
    @SuppressWarnings("unchecked")
    List<String> texts(String css) {
        return (List<String>) script("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText);", css);
    }

    /** Clicks the first element matching {@code css} whose text contains {@code text}; whether there was one. */
    boolean click(String css, String text) {
        return Boolean.TRUE.equals(script("const e = Array.from(document.querySelectorAll(arguments[0]))"
                + ".find(e => e.innerText.includes(arguments[1])); if (e) { e.click(); } return !!e;", css, text));
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves what the browser shows as {@code dir/name.png}. */
    Path screenshot(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = dir.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the browser shows and holds, for a test that failed: a screenshot and the page's HTML. */
    void keepEvidence(Path dir, String name) {
        try {
            screenshot(dir, name);
            Files.writeString(dir.resolve(name + ".html"), url() + "\n" + driver.getPageSource());
        } catch (IOException | RuntimeException e) {
            // Evidence is a courtesy: the failure that asked for it is what matters.
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
