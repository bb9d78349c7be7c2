package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import coffer.cli.Processes.Result;
import coffer.cli.Processes.Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real Chromium (Debian's, driven through chromedriver) against a real server
 * process: sign-up and sign-in, a 20 MiB upload with visible progress that survives a page reload
 * and resumes with only what was missing, a download compared byte for byte, sharing with a second
 * user who then sees the folder, and a change made with the CLI appearing without a reload.
 * Screenshots of the main screens go to {@code target/ui-screenshots} (and, with {@code
 * -Dui.screenshots=DIR}, to {@code DIR}: that is how {@code docs/ui} is refreshed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String PASSWORD = "correct horse battery";

  @TempDir static Path tmp;
  private Server server;
  private ChromeDriver browser;
  private Path downloads;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String message = "the browser tests need Debian's chromium and chromium-driver";
      if (System.getenv("CI") != null) {
        fail(message + " (.ci/run installs them)");
      }
      abort(message + "; skipped outside CI");
    }
    server = Server.start(tmp.resolve("data"));
    downloads = Files.createDirectories(tmp.resolve("downloads"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--no-first-run",
        "--window-size=1280,860",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium")));
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("download.default_directory", downloads.toString());
    prefs.put("download.prompt_for_download", false);
    options.setExperimentalOption("prefs", prefs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void a_new_user_signs_up_and_lands_in_an_empty_folder() throws IOException {
    browser.get(server.url() + "/");
    waitFor(d -> d.findElement(By.id("username")));
    screenshot("sign-in");
    browser.findElement(By.id("toggle-signup")).click();
    waitFor(d -> d.findElement(By.id("auth-submit")).getText().equals("Create account"));
    signIn("alice");
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("alice");
    // The name shows as soon as the account is known; the folder a moment later.
    assertThat(waitFor(d -> d.findElement(By.cssSelector(".empty"))).getText()).contains("empty");

    // A wrong password is a clear message, not a stack trace.
    browser.findElement(By.id("signout")).click();
    waitFor(d -> d.findElement(By.id("username")));
    browser.findElement(By.id("username")).sendKeys("alice");
    browser.findElement(By.id("password")).sendKeys("not the password");
    browser.findElement(By.id("auth-submit")).click();
    waitFor(d -> !d.findElement(By.id("auth-error")).getText().isEmpty());
    assertThat(browser.findElement(By.id("auth-error")).getText()).containsIgnoringCase("password");
    browser.findElement(By.id("password")).clear();
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("auth-submit")).click();
    waitFor(d -> d.findElement(By.id("who")).getText().equals("alice"));
    waitFor(d -> d.findElement(By.cssSelector(".empty")));
  }

  @Test
  @Order(2)
  void a_20_mib_upload_shows_progress_survives_a_reload_and_downloads_identical() throws Exception {
    byte[] content = new byte[20 << 20];
    new Random(20).nextBytes(content);
    Path file = tmp.resolve("big.bin");
    Files.write(file, content);

    throttleUploads(4 << 20); // 4 MiB/s: slow enough to see progress and reload mid-way
    chooseFiles(file.toString());
    waitFor(d -> d.findElement(By.cssSelector("li[data-upload='big.bin']")));
    waitFor(d -> uploaded("big.bin") > 2 << 20);
    screenshot("upload-progress");
    long before = uploaded("big.bin");
    assertThat(before).isLessThan(content.length);
    assertThat(attribute("li[data-upload='big.bin'] progress", "max"))
        .isEqualTo(Integer.toString(content.length));

    browser.navigate().refresh();
    click("li[data-upload='big.bin'] button[data-action='resume']");
    // What arrived before the reload is not sent again.
    waitFor(d -> parseLong(attribute("li[data-upload='big.bin']", "data-already")) > 0);
    long already = parseLong(attribute("li[data-upload='big.bin']", "data-already"));
    assertThat(already).isGreaterThanOrEqualTo(1 << 20).isLessThan(content.length);
    throttleUploads(-1);
    waitFor(d -> "done".equals(attribute("li[data-upload='big.bin']", "data-state")));
    waitFor(d -> d.findElement(By.cssSelector("tr[data-name='big.bin']")));
    screenshot("files");

    click("tr[data-name='big.bin'] .name button");
    Path downloaded = downloads.resolve("big.bin");
    waitFor(d -> Files.exists(downloaded) && size(downloaded) == content.length);
    assertThat(Files.readAllBytes(downloaded)).isEqualTo(content);
  }

  @Test
  @Order(3)
  void a_folder_shared_with_bob_shows_in_his_shared_with_me() throws Exception {
    assertThat(
            api(
                    "POST",
                    "/api/v1/auth/signup",
                    null,
                    "{\"username\":\"bob\",\"password\":\"" + PASSWORD + "\"}")
                .statusCode())
        .isEqualTo(201);
    browser.findElement(By.id("new-folder")).click();
    browser.findElement(By.id("dialog-input")).sendKeys("Team\n");
    click("tr[data-name='Team'] button[data-action='share']");
    browser.findElement(By.id("share-user")).sendKeys("bob");
    browser.findElement(By.id("share-submit")).click();
    waitFor(d -> d.findElement(By.id("share-members")).getText().contains("bob"));
    screenshot("share-dialog");
    browser.findElement(By.cssSelector("dialog menu button:not(.primary)")).click();

    browser.findElement(By.id("signout")).click();
    waitFor(d -> d.findElement(By.id("username")));
    browser.findElement(By.id("username")).sendKeys("bob");
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("auth-submit")).click();
    waitFor(d -> d.findElement(By.id("who")).getText().equals("bob"));
    browser.get(server.url() + "/#/shared");
    waitFor(d -> text("tr[data-name='Team']").contains("alice"));
    assertThat(text("tr[data-name='Team']")).contains("alice").contains("can edit");
    screenshot("shared-with-me");

    browser.findElement(By.id("signout")).click();
    waitFor(d -> d.findElement(By.id("username")));
    browser.findElement(By.id("username")).sendKeys("alice");
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("auth-submit")).click();
    waitFor(d -> d.findElement(By.id("who")).getText().equals("alice"));
  }

  @Test
  @Order(4)
  void a_file_put_with_the_cli_appears_without_a_reload_and_dedups_with_the_browser()
      throws Exception {
    browser.get(server.url() + "/#/files/");
    waitFor(d -> d.findElement(By.cssSelector("tr[data-name='Team']")));
    Path home = Files.createDirectories(tmp.resolve("cli-home"));
    Result login =
        Processes.cli(
            home,
            tmp,
            PASSWORD + "\n",
            "login",
            "--server",
            server.url(),
            "--user",
            "alice",
            "--password-stdin");
    assertThat(login.exit()).as(login.err()).isZero();
    byte[] content = new byte[6 << 20];
    new Random(6).nextBytes(content);
    Path file = Files.write(tmp.resolve("from-cli.bin"), content);
    Result put =
        Processes.cli(home, tmp, (String) null, "put", "-q", file.toString(), "/from-cli.bin");
    assertThat(put.exit()).as(put.err()).isZero();
    waitFor(d -> d.findElement(By.cssSelector("tr[data-name='from-cli.bin']")));

    // The same bytes from the browser: its chunks are the CLI's, so nothing is sent again.
    Path copy = Files.write(tmp.resolve("copy.bin"), content);
    chooseFiles(copy.toString());
    waitFor(d -> "done".equals(attribute("li[data-upload='copy.bin']", "data-state")));
    assertThat(parseLong(attribute("li[data-upload='copy.bin']", "data-already")))
        .isEqualTo(content.length);
  }

  @Test
  @Order(5)
  void trash_restore_and_a_phone_sized_layout() throws Exception {
    click("tr[data-name='copy.bin'] button[data-action='more']");
    browser.findElement(By.cssSelector("dialog button[data-action='delete']")).click();
    browser.findElement(By.cssSelector("dialog button.primary")).click();
    waitFor(d -> d.findElements(By.cssSelector("tr[data-name='copy.bin']")).isEmpty());
    browser.get(server.url() + "/#/trash");
    waitFor(d -> d.findElement(By.cssSelector("tr[data-name='copy.bin']")));
    screenshot("trash");
    click("tr[data-name='copy.bin'] button[data-action='restore']");
    waitFor(d -> d.findElements(By.cssSelector("tr[data-name='copy.bin']")).isEmpty());
    browser.get(server.url() + "/#/files/");
    waitFor(d -> d.findElement(By.cssSelector("tr[data-name='copy.bin']")));

    browser.manage().window().setSize(new Dimension(390, 844));
    try {
      browser.navigate().refresh();
      waitFor(d -> d.findElement(By.cssSelector("tr[data-name='copy.bin']")));
      Object overflow =
          ((JavascriptExecutor) browser)
              .executeScript(
                  "return document.documentElement.scrollWidth > window.innerWidth + 1;");
      assertThat(overflow).as("no sideways scrolling on a phone").isEqualTo(false);
      screenshot("phone");
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 860));
    }
  }

  @Test
  @Order(6)
  void rename_move_restore_an_old_version_and_make_a_public_link() throws Exception {
    browser.get(server.url() + "/#/files/");
    click("tr[data-name='from-cli.bin'] button[data-action='more']");
    click("dialog button[data-action='rename']");
    WebElement name = waitFor(d -> d.findElement(By.id("dialog-input")));
    name.clear();
    name.sendKeys("renamed.bin\n");
    waitFor(d -> d.findElement(By.cssSelector("tr[data-name='renamed.bin']")));

    click("tr[data-name='renamed.bin'] button[data-action='more']");
    click("dialog button[data-action='move']");
    WebElement into = waitFor(d -> d.findElement(By.id("dialog-input")));
    into.clear();
    into.sendKeys("/Team\n");
    waitFor(d -> d.findElements(By.cssSelector("tr[data-name='renamed.bin']")).isEmpty());
    browser.get(server.url() + "/#/files/Team");
    waitFor(d -> d.findElement(By.cssSelector("tr[data-name='renamed.bin']")));

    // A second version from the browser, then the first one restored through the dialog.
    byte[] first = new byte[6 << 20];
    new Random(6).nextBytes(first);
    Path second = Files.createDirectories(tmp.resolve("v2")).resolve("renamed.bin");
    Files.writeString(second, "the second version");
    chooseFiles(second.toString());
    waitFor(d -> "done".equals(attribute("li[data-upload='renamed.bin']", "data-state")));
    String token = login("alice");
    String id = attribute("tr[data-name='renamed.bin']", "data-id");
    assertThat(download(token, "/api/v1/files/" + id, null))
        .isEqualTo("the second version".getBytes());
    click("tr[data-name='renamed.bin'] button[data-action='more']");
    click("dialog button[data-action='versions']");
    waitFor(d -> d.findElements(By.cssSelector("dialog li[data-revision]")).size() == 2);
    screenshot("versions");
    click("dialog button[data-action='restore-version']");
    waitFor(
        d -> {
          try {
            return java.util.Arrays.equals(download(token, "/api/v1/files/" + id, null), first);
          } catch (Exception e) {
            return false;
          }
        });

    click("tr[data-name='renamed.bin'] button[data-action='more']");
    click("dialog button[data-action='link']");
    waitFor(d -> d.findElement(By.cssSelector("dialog input[type='password']")))
        .sendKeys("open sesame");
    click("dialog button.primary[type='submit']");
    String url =
        waitFor(
                d -> {
                  String shown = text("dialog .secret");
                  return shown.isBlank() ? null : shown;
                })
            .trim();
    assertThat(url).startsWith(server.url() + "/api/v1/links/");
    assertThat(download(null, url.substring(server.url().length()) + "/content", "open sesame"))
        .isEqualTo(first);
    click("dialog menu:last-of-type button");
  }

  @Test
  @Order(7)
  void the_page_is_small_and_locked_down() throws Exception {
    HttpResponse<String> page = api("GET", "/", null, null);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    long total = page.body().length();
    for (String asset : List.of("app.js", "api.js", "uploads.js", "chunker.js", "app.css")) {
      HttpResponse<String> file = api("GET", "/ui/" + asset, null, null);
      assertThat(file.statusCode()).isEqualTo(200);
      total += file.body().length();
    }
    assertThat(total).as("first load in bytes").isLessThan(200_000);
    System.out.println("web UI first load: " + total + " bytes");
  }

  private String login(String user) throws Exception {
    HttpResponse<String> reply =
        api(
            "POST",
            "/api/v1/auth/login",
            null,
            "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(reply.statusCode()).isEqualTo(200);
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(reply.body())
        .path("token")
        .asText();
  }

  private byte[] download(String token, String path, String linkPassword) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (linkPassword != null) {
      request.header("X-Coffer-Link-Password", linkPassword);
    }
    HttpResponse<byte[]> reply =
        http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(reply.statusCode()).as(path).isEqualTo(200);
    return reply.body();
  }

  private void signIn(String user) {
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("auth-submit")).click();
    waitFor(d -> d.findElement(By.id("who")).getText().equals(user));
  }

  /** Clicks what {@code css} finds, again if the list re-rendered under the click. */
  private void click(String css) {
    waitFor(
        d -> {
          d.findElement(By.cssSelector(css)).click();
          return true;
        });
  }

  private long uploaded(String name) {
    String text =
        (String)
            ((JavascriptExecutor) browser)
                .executeScript(
                    "const p = document.querySelector(\"li[data-upload='\" + arguments[0]"
                        + " + \"'] progress\"); return p ? String(p.value) : '0';",
                    name);
    return (long) Double.parseDouble(text);
  }

  /**
   * Picks {@code path} in the upload input, once the folder view has drawn it. A re-render between
   * finding the input and sending the path is retried rather than failing the test.
   */
  private void chooseFiles(String path) {
    waitFor(
        d -> {
          d.findElement(By.id("upload-files")).sendKeys(path);
          return true;
        });
  }

  /** An attribute of the first element {@code css} finds, read in one step (lists re-render). */
  private String attribute(String css, String name) {
    return (String)
        browser.executeScript(
            "const e = document.querySelector(arguments[0]);"
                + " return e ? e.getAttribute(arguments[1]) : null;",
            css,
            name);
  }

  /** The text of the first element {@code css} finds, or "" when there is none. */
  private String text(String css) {
    return (String)
        browser.executeScript(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
  }

  private static long parseLong(String value) {
    return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  /** Limits what the page sends, in bytes per second (negative: no limit). */
  private void throttleUploads(long bytesPerSecond) {
    browser.executeCdpCommand("Network.enable", Map.of());
    browser.executeCdpCommand(
        "Network.emulateNetworkConditions",
        Map.of(
            "offline",
            false,
            "latency",
            0,
            "downloadThroughput",
            -1,
            "uploadThroughput",
            bytesPerSecond));
  }

  private <T> T waitFor(Function<WebDriver, T> condition) {
    return new WebDriverWait(browser, Duration.ofSeconds(30))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d -> {
              T value = condition.apply(d);
              return value instanceof Boolean b && !b ? null : value;
            });
  }

  private void screenshot(String name) throws IOException {
    byte[] png = browser.getScreenshotAs(OutputType.BYTES);
    Path dir = Files.createDirectories(Path.of("target", "ui-screenshots"));
    Files.write(dir.resolve(name + ".png"), png);
    String docs = System.getProperty("ui.screenshots");
    if (docs != null && !docs.isBlank()) {
      Files.write(Files.createDirectories(Path.of(docs)).resolve(name + ".png"), png);
    }
  }

  private HttpResponse<String> api(String method, String path, String token, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    request.header("Content-Type", "application/json");
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
