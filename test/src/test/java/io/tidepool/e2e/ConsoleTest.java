package io.tidepool.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web console in a real headless Chromium against {@code tidepool up --driver sim}, run through
 * the real launcher: log in with the link up printed, find an endpoint by searching, watch its
 * chart grow as the autoscaler scales it, and see a migration appear when a host fills past its
 * watermark, all live, without reloading a page. Screenshots of the main pages are saved under
 * target/console-screenshots (docs/console.md shows copies).
 */
@Timeout(300)
class ConsoleTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Three idle tenants of a fixed 4 CU: best fit packs them onto one 16 CU host, at 75% of it. */
    private static final String BALLAST = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: archive}
            spec: {cell: local, compute: {minCu: %s, maxCu: %s}}
            ---
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: vault}
            spec: {cell: local, compute: {minCu: 4, maxCu: 4}}
            ---
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: audit}
            spec: {cell: local, compute: {minCu: 4, maxCu: 4}}
            """;
    /**
     * up's simulated tenants get their workload by name: {@code search} has a business-hours load
     * that needs more than 1 CU at any hour, so it grows at once when its maximum lets it.
     */
    private static final String SEARCH = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: search}
            spec: {cell: local, compute: {minCu: 0.25, maxCu: %s}}
            """;

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsChromium() {
        Browser.assumeInstalled();
    }

    @Test
    void logsInFindsAnEndpointSeesItScaleAndAMigrationAppearWithoutReloading() throws Exception {
        Launcher tidepool = new Launcher(tmp.resolve("config.yaml"));
        int port = LoopbackPort.free();
        String base = "http://127.0.0.1:" + port;
        try (UpProcess up = UpProcess.start(tidepool, tmp.resolve("data"), port, List.of("--driver", "sim"));
             Browser browser = Browser.start(tmp.resolve("chrome-profile"), tmp.resolve("chromedriver.log"))) {
            try {
                walkThrough(tidepool, up, browser, base);
            } catch (AssertionError | RuntimeException e) {
                browser.keepEvidence(SCREENSHOTS, "failure");
                throw new AssertionError(e.getMessage() + "\n(screenshot and page in " + SCREENSHOTS.toAbsolutePath()
                        + "/failure.*; up printed:\n" + up.output() + ")", e);
            }
        }
    }

    private void walkThrough(Launcher tidepool, UpProcess up, Browser browser, String base) throws Exception {
        String link = up.awaitLineStartingWith("  console:   ", WAIT).substring("  console:   ".length()).trim();
        assertThat(link).startsWith(base + "/console/login?code=tp_");

        browser.open(base + "/console/endpoints");
        assertThat(browser.url()).as("a page without a session goes to the login page").endsWith("/console/login");
        assertThat(browser.text("main")).contains("Log in with the link that tidepool up printed", "tidepool console-link");

        browser.open(link);
        Await.until(WAIT, "the overview after logging in", () -> browser.url().equals(base + "/console/")
                && browser.all("#tiles .tile").size() == 6);

        apply(tidepool, "ballast.yaml", BALLAST.formatted("4", "4"));
        apply(tidepool, "search.yaml", SEARCH.formatted("0.25"));
        browser.open(base + "/console/endpoints");
        String listLoaded = loadedAt(browser);
        Await.until(WAIT, "four endpoints Running in the live list", () -> browser.texts("tr[data-endpoint]").stream()
                .filter(row -> row.contains("Running")).count() == 4);
        WebElement search = browser.first(".controls input[type=search]");
        search.sendKeys("sear");
        Await.until(WAIT, "the search narrowing the list to search", () -> browser.all("tr[data-endpoint]").size() == 1
                && "search".equals(browser.data("tr[data-endpoint]", "endpoint")));
        assertThat(browser.url()).as("the search is in the page's address").endsWith("/console/endpoints?q=sear");
        assertThat(loadedAt(browser)).as("the list updated in place").isEqualTo(listLoaded);
        browser.screenshot(SCREENSHOTS, "endpoints-search");
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        Await.until(WAIT, "the whole list back", () -> browser.all("tr[data-endpoint]").size() == 4);
        browser.screenshot(SCREENSHOTS, "endpoints");

        Await.until(WAIT, "a click on search", () -> browser.click("tr[data-endpoint=search] a", "search"));
        Await.until(WAIT, "search's chart with its first samples", () -> browser.url().endsWith("/console/endpoints/search")
                && number(browser.data("#chart", "points")) > 0 && number(browser.data("#chart", "latest-cu")) == 0.25);
        String chartLoaded = loadedAt(browser);

        apply(tidepool, "search.yaml", SEARCH.formatted("2"));
        String upscale = Await.value(WAIT, "the chart growing past 0.25 CU, with the upscale marked and explained",
                () -> number(browser.data("#chart", "latest-cu")) > 0.25 ? browser.texts("#markers li[data-type=scaling]").stream()
                        .filter(text -> text.contains("upscale 0.25 -> ")).findFirst().orElse(null) : null);
        assertThat(loadedAt(browser)).as("the chart updated in place").isEqualTo(chartLoaded);
        assertThat(upscale).as("the autoscaler's explanation").containsPattern("upscale 0\\.25 -> [0-9.]+ CU: (load1|memory|cache) ");
        assertThat(browser.all("#chart .pin.scaling")).as("the upscale pinned on the chart").isNotEmpty();
        Await.until(WAIT, "the explanation shown on a click", () -> browser.click("#markers li[data-type=scaling]", "upscale 0.25 -> ")
                && browser.text("#why").contains("upscale 0.25 -> "));
        browser.screenshot(SCREENSHOTS, "endpoint");

        browser.open(base + "/console/moves");
        String movesLoaded = loadedAt(browser);
        Await.until(WAIT, "the moves page live", () -> "live".equals(browser.data("#live", "state")));
        assertThat(browser.all("tr[data-migration]")).as("no migration before the host fills").isEmpty();
        // archive grows from 4 to 7 CU on a host already at 12 + search's CU of 16: past the 90% watermark.
        apply(tidepool, "ballast.yaml", BALLAST.formatted("7", "7"));
        Await.until(WAIT, "a migration appearing", () -> !browser.all("tr[data-migration]").isEmpty());
        assertThat(loadedAt(browser)).as("the moves page updated in place").isEqualTo(movesLoaded);
        String moved = Await.value(WAIT, "the migrated endpoint's name",
                () -> browser.texts("tr[data-migration] td:first-child").stream().findFirst().orElse(null));
        Await.until(WAIT, "the migration finished", () -> browser.text("#finished").contains("Succeeded"));
        browser.screenshot(SCREENSHOTS, "moves");

        browser.open(base + "/console/endpoints/" + moved);
        Await.until(WAIT, moved + "'s migration on its timeline", () -> browser.texts("#markers li[data-type=migration]").size() >= 2
                && !browser.all("#chart .pin.migration").isEmpty());
        assertThat(browser.text("#markers")).contains("moved local-host-");
        browser.screenshot(SCREENSHOTS, "endpoint-moved");

        browser.open(base + "/console/cells");
        Await.until(WAIT, "both hosts' fill on the cells page", () -> browser.all("[data-cell=local] .bar-row").size() == 2);
        browser.screenshot(SCREENSHOTS, "cells");
        browser.open(base + "/console/hosts");
        Await.until(WAIT, "both hosts with their computes", () -> browser.texts("tr[data-host]").size() == 2
                && browser.texts("tr[data-host]").stream().allMatch(row -> row.contains("ready")));
        browser.screenshot(SCREENSHOTS, "hosts");
        browser.open(base + "/console/sync");
        Await.until(WAIT, "the apply sets", () -> !browser.all("[data-set]").isEmpty());
        browser.screenshot(SCREENSHOTS, "sync");
        for (String page : List.of("", "events")) {
            browser.open(base + "/console/" + page);
            Await.until(WAIT, "the " + (page.isEmpty() ? "overview" : page) + " page live",
                    () -> "live".equals(browser.data("#live", "state")));
            browser.screenshot(SCREENSHOTS, page.isEmpty() ? "overview" : page);
        }

        browser.open(link);
        assertThat(browser.text("main")).as("a used link").contains("This login link was already used")
                .contains("This browser is logged in already");
    }

    private void apply(Launcher tidepool, String file, String manifest) throws Exception {
        Path path = tmp.resolve(file);
        Files.writeString(path, manifest);
        Launcher.Result applied = tidepool.run("apply", "-f", path.toString());
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
    }

    private static String loadedAt(Browser browser) {
        return browser.data("body", "loaded-at");
    }

    private static double number(String text) {
        try {
            return text == null || text.isEmpty() ? -1 : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
