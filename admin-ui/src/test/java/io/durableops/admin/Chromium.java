package io.durableops.admin;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's headless Chromium through Debian's ChromeDriver, both by explicit path, so Selenium Manager never runs
 * and nothing is downloaded. Without them the browser tests are skipped with a loud message, except under CI
 * ({@code CI=true}), where they fail: {@code scripts/install-browser.sh} installs them.
 */
final class Chromium {
    static final File BROWSER = new File("/usr/bin/chromium");
    static final File DRIVER = new File("/usr/bin/chromedriver");

    private Chromium() {
    }

    static ChromeDriver start(int width, int height) {
        if (!BROWSER.canExecute() || !DRIVER.canExecute()) {
            String why = "Chromium (" + BROWSER + ") or ChromeDriver (" + DRIVER + ") is missing; run scripts/install-browser.sh";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new IllegalStateException("CI=true: the browser tests must run, but " + why);
            System.err.println("*** SKIPPING the browser tests: " + why + " ***");
            Assumptions.abort("browser tests skipped: " + why);
        }
        System.setProperty("webdriver.chrome.driver", DRIVER.getPath());
        Path profile;
        try {
            profile = Files.createTempDirectory("durable-ops-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
