package org.silverlining.cli.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for end-to-end tests of the dashboard: Debian's Chromium, headless, driven by
 * Selenium through Debian's chromedriver (both installed by {@code .ci/run}). One browser a test
 * class or test; {@link #close()} ends it.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts a headless Chromium with a fresh profile and a window of {@code width} × 900. */
  public static Browser start(int width) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "browser tests need Debian's chromium and chromium-driver (apt-get install chromium"
              + " chromium-driver; .ci/run installs them)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // tests run as root, where Chromium's sandbox does not start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=" + width + ",900");
    if (width < 500) {
      // a headless window is at least 500 px wide: a phone's width needs the phone's viewport
      options.setExperimentalOption(
          "mobileEmulation",
          java.util.Map.of(
              "deviceMetrics", java.util.Map.of("width", width, "height", 900, "pixelRatio", 1.0)));
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new Browser(new ChromeDriver(service, options));
  }

  /** A browser with a desktop-sized window. */
  public static Browser start() {
    return start(1280);
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /** The elements {@code css} selects now (none: an empty list). */
  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits until {@code css} selects an element, and returns the first. */
  public WebElement waitFor(String css) {
    return new WebDriverWait(driver, WAIT)
        .withMessage(() -> "no element " + css + " on " + driver.getCurrentUrl() + ":\n" + text())
        .until(d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
  }

  /**
   * Fills the login form at {@code dashboard} (its {@code /}) and submits it; {@code totp} may be
   * null. Returns once the next page has loaded.
   */
  public void login(String dashboard, String user, String password, String totp) {
    open(dashboard);
    submitLogin(user, password, totp);
  }

  /** Fills and submits the login form already shown. */
  public void submitLogin(String user, String password, String totp) {
    WebElement name = waitFor("input[name=username]");
    name.clear();
    name.sendKeys(user);
    WebElement pw = driver.findElement(By.name("password"));
    pw.clear();
    pw.sendKeys(password);
    if (totp != null) {
      driver.findElement(By.name("totp")).sendKeys(totp);
    }
    WebElement form = driver.findElement(By.cssSelector("form.login"));
    form.findElement(By.cssSelector("[type=submit]")).click();
    new WebDriverWait(driver, WAIT).until(d -> isStale(form));
  }

  private static boolean isStale(WebElement e) {
    try {
      e.isEnabled();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException gone) {
      return true;
    } catch (org.openqa.selenium.WebDriverException navigating) {
      return true; // the document it belonged to is going away
    }
  }

  /** Runs {@code script} in the page and returns its value. */
  public Object script(String script) {
    return driver.executeScript(script);
  }

  /** Presses a key (e.g. {@code Keys.TAB}) where the focus is. */
  public void press(CharSequence key) {
    new org.openqa.selenium.interactions.Actions(driver).sendKeys(key).perform();
  }

  /** The element that has the focus. */
  public WebElement focused() {
    return driver.switchTo().activeElement();
  }

  /** The session cookie, or null. */
  public Cookie cookie(String name) {
    return driver.manage().getCookieNamed(name);
  }

  /** The page's visible text. */
  public String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /** Saves a screenshot (PNG) to {@code file}. */
  public void screenshot(Path file) throws java.io.IOException {
    Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
