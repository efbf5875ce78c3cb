package dev.payproc.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payproc.testkit.Bodies;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The SRE console in a real browser (Debian's headless Chromium through its chromedriver) against a running
 * processor on real PostgreSQL, with authorizations flowing from the test. Fails, not skips, without the browser:
 * {@code scripts/test.sh} installs it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT extends ProcessorIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Path profile;
    private WebDriver browser;
    private WebDriverWait wait;
    private final List<String> pans = new CopyOnWriteArrayList<>();
    private final AtomicBoolean flowing = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private Thread traffic;

    @BeforeAll
    void openBrowser() throws IOException {
        assertTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the console test needs Chromium and its driver: apt-get install chromium chromium-driver (scripts/test.sh does)");
        profile = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--window-size=1600,2300");
        // The driver's path is given, so Selenium Manager neither looks for nor downloads anything.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(StaleElementReferenceException.class); // the page re-renders its lists on every feed refresh
    }

    @AfterAll
    void closeBrowser() throws IOException, InterruptedException {
        flowing.set(false);
        if (traffic != null) traffic.join(5_000);
        if (browser != null) browser.quit();
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void aWrongKeyIsRefusedVisibly() {
        browser.get(url("/console"));
        signIn("not-the-admin-key");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "refused"));
        assertTrue(text("login-error").contains("401"), text("login-error"));
        assertFalse(browser.findElement(By.id("dashboard")).isDisplayed());
        assertFalse(browser.findElement(By.id("meta")).isDisplayed());
    }

    @Test
    @Order(2)
    void withTheAdminKeyTheThroughputRisesWhileAuthorizationsFlow() {
        signIn(TestProcessor.ADMIN_KEY);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dashboard")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "LIVE"));
        assertFalse(browser.findElement(By.id("login")).isDisplayed(), "the key form gives way to the dashboard");
        assertEquals("0.0", text("rps"), "no traffic yet");
        startTraffic();
        wait.until(d -> number("rps") >= 5);
        assertTrue(sent.get() > 0);
        wait.until(d -> !text("p99").equals("–"));
        assertTrue(text("p99").endsWith(" ms"), text("p99"));
    }

    @Test
    @Order(3)
    void aDeclineAppearsWithItsReasonsAndMaskedCard() {
        String pan = Bodies.freshPan();
        pans.add(pan);
        JsonObject declined = app.authorize(
                        "b-" + UUID.randomUUID(),
                        Bodies.valid(pan)
                                .put("amount", 1_000_001)
                                .put("cardholderVerification", "PIN")
                                .encode())
                .json();
        assertEquals("DECLINED", declined.getString("status"));
        By row = By.cssSelector("#flagged tr[data-id='" + declined.getString("id") + "']");
        // Both texts from one look at the row, taken again if a feed refresh re-rendered it meanwhile (stale).
        List<String> seen = wait.until(d -> {
            WebElement shown = d.findElement(row);
            return shown.isDisplayed()
                    ? List.of(
                            shown.getText(),
                            shown.findElement(By.className("card")).getText())
                    : null;
        });
        String line = seen.get(0);
        assertTrue(line.contains("DECLINED"), line);
        assertTrue(line.contains("AMOUNT_LIMIT"), line);
        assertTrue(line.contains("exceeds the limit of 1000000"), line);
        assertTrue(line.contains("10000.01 EUR"), line);
        assertEquals(pan.substring(0, 6) + "******" + pan.substring(12), seen.get(1));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reasons"), "AMOUNT_LIMIT"));
    }

    @Test
    @Order(4)
    void aValidTunableIsAppliedAndABadOneShowsTheServersErrorAtItsField() {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cfg-now-settlementBatchCap"), "512"));
        browser.findElement(By.id("cfg-settlementBatchCap")).sendKeys("64");
        browser.findElement(By.id("cfg-apply")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cfg-message"), "Applied"));
        assertEquals(64, config().getInteger("settlementBatchCap"));
        assertEquals("64", text("cfg-now-settlementBatchCap"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), "config.put"));

        browser.findElement(By.id("cfg-maxInFlight")).sendKeys("999999");
        browser.findElement(By.id("cfg-apply")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("err-maxInFlight"), "queue capacity 8192"));
        assertTrue(text("cfg-message").contains("Not applied"), text("cfg-message"));
        assertEquals(8192, config().getInteger("maxInFlight"), "a refused change changes nothing");

        browser.findElement(By.id("cfg-maxInFlight")).clear();
        browser.findElement(By.id("cfg-maxInFlight")).sendKeys("lots");
        browser.findElement(By.id("cfg-apply")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("err-maxInFlight"), "must be an integer"));
        assertEquals(8192, config().getInteger("maxInFlight"));
    }

    @Test
    @Order(5)
    void aDeclineStormRaisesAVisibleAlert() throws InterruptedException {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alerts"), "All clear"));
        // The baseline: 150 decisions of the traffic's own 10% declines, older than the recent ten seconds.
        while (decided() < 150) Thread.sleep(200);
        Thread.sleep(10_500); // ConsoleAlerts.RECENT_SECONDS and a little
        for (int i = 0; i < 250; i++) {
            String pan = Bodies.freshPan();
            pans.add(pan);
            app.client()
                    .sendAsync(
                            HttpMethod.POST,
                            "/v1/authorizations",
                            TestProcessor.headers(TestProcessor.API_KEY, "s-" + UUID.randomUUID()),
                            Bodies.valid(pan)
                                    .put("amount", 3_000_000)
                                    .put("cardholderVerification", "PIN")
                                    .encode());
            Thread.sleep(8);
        }
        // Located afresh on every poll: each feed refresh re-renders the alert list, so an element found once can go
        // stale before its text is read.
        assertTrue(wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#alerts .alert.warning"), "DECLINE_RATE")));
        assertTrue(browser.findElement(By.id("tile-decline"))
                .getDomProperty("className")
                .contains("crit"));
    }

    @Test
    @Order(6)
    void theDashboardShowsNoCardNumberAndIsPhotographed() throws IOException {
        String page = browser.getPageSource();
        for (String pan : pans) assertFalse(page.contains(pan), "a full card number on the page");
        assertFalse(browser.getCurrentUrl().contains(TestProcessor.ADMIN_KEY), "the key is never in a URL");
        ((JavascriptExecutor) browser).executeScript("document.activeElement.blur(); window.scrollTo(0, 0);");
        Path shot = Path.of("target", "console.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(shot) > 10_000);
    }

    @Test
    @Order(7)
    void anEndpointBehindShowsInTheWebhookBacklog() {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pipeline"), "0 endpoints behind"));
        // Nothing answers on the discard port: replayed from 0, the endpoint stays behind through its retries.
        JsonObject endpoint = app.admin(
                        HttpMethod.POST,
                        "/admin/webhooks",
                        new JsonObject()
                                .put("merchantId", TestProcessor.MERCHANT)
                                .put("url", "http://127.0.0.1:9/hooks")
                                .encode())
                .json();
        String id = endpoint.getString("id");
        assertEquals(
                200,
                app.admin(HttpMethod.POST, "/admin/webhooks/" + id + "/replay", "{\"after\":0}")
                        .status());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pipeline"), "1 endpoint behind"));
        assertTrue(text("pipeline").contains("webhooks parked"), text("pipeline"));
        app.admin(HttpMethod.DELETE, "/admin/webhooks/" + id, null);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pipeline"), "0 endpoints behind"));
    }

    @Test
    @Order(8)
    void openDisputesShowWithTheAmountTheyHoldPerCurrency() {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pipeline"), "0 disputes"));
        DisputeCalls calls = new DisputeCalls(app);
        String eur = calls.authorize(Bodies.valid(Bodies.freshPan()).put("amount", 5_000));
        String eurToo = calls.authorize(Bodies.valid(Bodies.freshPan()).put("amount", 2_000));
        String jpy = calls.authorize(
                Bodies.valid(Bodies.freshPan()).put("currency", "JPY").put("amount", 7_000));
        String kwd = calls.authorize(
                Bodies.valid(Bodies.freshPan()).put("currency", "KWD").put("amount", 12_345));
        String first = calls.opened(eur, 4_000);
        calls.opened(eurToo, 1_250);
        calls.opened(jpy, 5_000);
        String decided = calls.opened(kwd, 12_345);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pipeline"), "4 disputes"));
        String shown = text("pipeline");
        assertTrue(shown.contains("open disputes"), shown);
        assertTrue(shown.contains("52.50 EUR (2)"), shown);
        assertTrue(shown.contains("5000 JPY (1)"), shown);
        assertTrue(shown.contains("12.345 KWD (1)"), shown);
        // Evidence keeps a dispute undecided; an outcome takes it, and its currency, off the list.
        assertEquals(200, calls.evidence(first, "signed receipt").status());
        assertEquals(200, calls.outcome(decided, "lost").status());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pipeline"), "3 disputes"));
        shown = text("pipeline");
        assertTrue(shown.contains("52.50 EUR (2)") && shown.contains("5000 JPY (1)"), shown);
        assertFalse(shown.contains("KWD"), shown);
        JsonObject feed = app.admin(HttpMethod.GET, "/admin/console/feed?since=" + Long.MAX_VALUE, null)
                .json()
                .getJsonObject("disputes");
        assertEquals(3, feed.getLong("open"), feed.encode());
        // A single process: no cluster to show, and the page says so.
        assertTrue(app.admin(HttpMethod.GET, "/admin/console/feed?since=" + Long.MAX_VALUE, null)
                .json()
                .containsKey("cluster"));
        assertEquals(
                null,
                app.admin(HttpMethod.GET, "/admin/console/feed?since=" + Long.MAX_VALUE, null)
                        .json()
                        .getValue("cluster"));
        assertTrue(shown.contains("single process"), shown);
        assertEquals(
                new JsonObject()
                        .put("currency", "EUR")
                        .put("count", 2)
                        .put("amount", 5_250)
                        .put("exponent", 2)
                        .put("amountDecimal", "52.50"),
                feed.getJsonArray("byCurrency").getJsonObject(0));
    }

    private void signIn(String key) {
        WebElement field = browser.findElement(By.id("login-key"));
        field.clear();
        field.sendKeys(key);
        browser.findElement(By.id("login-submit")).click();
    }

    /**
     * About 40 authorizations a second from the test, mostly approved, with declines (over the amount limit),
     * challenges (large and unverified) and a few invalid requests, as a day's traffic would have.
     */
    private void startTraffic() {
        flowing.set(true);
        traffic = new Thread(
                () -> {
                    for (long i = 0; flowing.get(); i++) {
                        String pan = Bodies.freshPan();
                        pans.add(pan);
                        JsonObject body = Bodies.valid(pan);
                        if (i % 10 == 3) body.put("amount", 2_000_000).put("cardholderVerification", "PIN");
                        else if (i % 15 == 7) body.put("amount", 80_000);
                        else if (i % 40 == 11) body.getJsonObject("card").put("expiry", "01/20");
                        app.client()
                                .sendAsync(
                                        HttpMethod.POST,
                                        "/v1/authorizations",
                                        TestProcessor.headers(TestProcessor.API_KEY, "b-" + UUID.randomUUID()),
                                        body.encode());
                        sent.incrementAndGet();
                        try {
                            Thread.sleep(25);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "console-traffic");
        traffic.start();
    }

    private long decided() {
        JsonObject since = app.client()
                .get(
                        "/admin/console/feed?since=" + System.currentTimeMillis(),
                        Map.of("Authorization", "Bearer " + TestProcessor.ADMIN_KEY))
                .json()
                .getJsonObject("decisionsSinceStart");
        return since.fieldNames().stream().mapToLong(since::getLong).sum();
    }

    private JsonObject config() {
        return app.client()
                .get("/admin/config", Map.of("Authorization", "Bearer " + TestProcessor.ADMIN_KEY))
                .json();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private double number(String id) {
        try {
            return Double.parseDouble(text(id));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
