package org.nhsv2.e2e;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * A patient's browser on the checkout page: Debian's Chromium, headless, driven through Debian's
 * ChromeDriver (no browser or driver is downloaded: both paths are given, so Selenium Manager
 * never runs). Screenshots go to {@code target/e2e-screenshots}.
 */
final class CheckoutBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "e2e-screenshots");
    private static final String CHROMIUM = System.getenv().getOrDefault("NHSV2_E2E_CHROMIUM", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getenv().getOrDefault("NHSV2_E2E_CHROMEDRIVER", "/usr/bin/chromedriver");

    private final Path profile;
    private final ChromeDriver driver;

    CheckoutBrowser() {
        try {
            profile = Files.createTempDirectory("nhsv2-e2e-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1024,768",
                // This machine's network is closed: without these Chromium keeps dialling Google's hosts.
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    /** Opens the checkout link as it came in the email; the page's total as shown. */
    String open(String checkoutUrl) {
        driver.get(checkoutUrl);
        return waitFor(By.id("total")).getText();
    }

    /** Presses "Pay …" and waits for the page the payment lands on; its heading. */
    String pay() {
        waitFor(By.xpath("//button[starts-with(normalize-space(.), 'Pay ')]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("/checkout/complete"));
        return waitFor(By.tagName("h1")).getText();
    }

    String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** Keeps what the browser shows now as {@code target/e2e-screenshots/<name>.png}; its path. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // A leftover temporary profile is harmless.
        }
    }
}
