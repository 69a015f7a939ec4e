package dev.sealpost.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.client.Attachment;
import dev.sealpost.client.Contacts;
import dev.sealpost.client.Draft;
import dev.sealpost.client.OutgoingPipeline;
import dev.sealpost.client.RelayDestination;
import dev.sealpost.client.IncomingPipeline;
import dev.sealpost.client.PinnedKeys;
import dev.sealpost.client.Progress;
import dev.sealpost.client.Received;
import dev.sealpost.client.RelayInbox;
import dev.sealpost.client.RelayProfile;
import dev.sealpost.client.SafetyNumber;
import dev.sealpost.client.SealpostHome;
import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.protocol.SessionResponse;
import dev.sealpost.relay.RelayConfig;
import dev.sealpost.relay.RelayServer;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.IdentityFiles;
import dev.sealpost.crypto.Suite;
import dev.sealpost.testkit.Authenticator;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in real Chromium (Debian's {@code chromium} and {@code chromium-driver}, headless),
 * used with the keyboard where a person would: skipped with a message when they are absent.
 * Screenshots at 1280×800 go to {@code target/screenshots/}.
 */
class UiBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    Path dir;
    UiServer ui;
    WebDriver browser;
    WebDriverWait wait;
    /** A second user's UI and browser, for the tests that need bob's screen too. */
    UiServer bobUi;
    WebDriver bobBrowser;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no Debian chromium and chromium-driver (.ci/run installs them): browser tests skipped");
        SealpostHome home = new SealpostHome(dir.resolve("home"));
        IdentityFiles.write(home.identityDir(), Identity.generate("alice", Suite.P256), PASSPHRASE.toCharArray());
        ui = UiServer.start(home, 0, Duration.ofMinutes(15), dir.resolve("received"), Clock.systemUTC());
        browser = chromium(dir.resolve("profile"));
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        if (bobBrowser != null) {
            bobBrowser.quit();
        }
        if (bobUi != null) {
            bobUi.close();
        }
        if (browser != null) {
            browser.quit();
        }
        if (ui != null) {
            ui.close();
        }
    }

    /** Headless Chromium with the flags this machine needs, its console log kept. */
    static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--window-size=1280,800", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // --window-size sizes the window, not the page: make the viewport itself 1280x800
        long chrome = (Long) driver.executeScript("return window.outerHeight - window.innerHeight;");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800 + (int) chrome));
        return driver;
    }

    @Test
    void unlock_withTheKeyboard_wrongThenRight_thenLock() throws IOException {
        browser.get(ui.launchUri().toString());
        WebElement passphrase = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase")));
        assertEquals(ui.launchUri().resolve("/").toString(), browser.getCurrentUrl(), "the token left the address bar");
        assertEquals("Passphrase", browser.findElement(By.cssSelector("label[for=passphrase]")).getText());
        assertEquals(passphrase, browser.switchTo().activeElement(), "the passphrase field has the focus");
        screenshot("ui-unlock");

        passphrase.sendKeys("not it", Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.id("unlock-error"), "wrong passphrase"));

        passphrase.sendKeys(PASSPHRASE, Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("home")));
        assertEquals("Unlocked", browser.findElement(By.id("home-title")).getText());
        assertTrue(browser.findElement(By.id("who")).getText().startsWith("alice · SHA256:"));
        screenshot("ui-unlocked");

        browser.switchTo().activeElement().sendKeys(Keys.ENTER); // the focus is on "Lock"
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase")));
        assertEquals("", browser.findElement(By.id("passphrase")).getAttribute("value"), "the passphrase is not kept in the page");
        assertNoConsoleErrors(List.of("401 (Unauthorized)"));
    }

    @Test
    void account_showsTheRelay_logsIn_andContactsListsThePins() throws Exception {
        try (RelayServer relay = RelayServer.start(RelayConfig.defaults(dir.resolve("relay")).withPort(0))) {
            SealpostHome home = new SealpostHome(dir.resolve("home"));
            RelayClient anonymous = RelayClient.connect(relay.uri(), relay.certificateFingerprint());
            anonymous.accounts().register("alice", "account password".toCharArray());
            // alice has a second factor (set up with the CLI, say)
            RelayClient withToken = anonymous.withToken(anonymous.accounts().login("alice", "account password".toCharArray()).token());
            String base32 = withToken.accounts().beginMfa().secret();
            byte[] totp = Authenticator.secret(base32);
            withToken.accounts().confirmMfa(dev.sealpost.protocol.Totp.code(totp,
                    dev.sealpost.protocol.Totp.step(java.time.Instant.now()) - 1, 6).toCharArray());
            new RelayProfile(relay.uri().toString(), relay.certificateFingerprint().toString(), "alice").save(home);
            Identity bob = Identity.generate("bob", Suite.P256);
            Contacts.load(home).pinOrCheck(new KeyBundle("bob", Pem.encodeCertificate(bob.signingCertificate()),
                    Pem.encodeCertificate(bob.encryptionCertificate())));

            browser.get(ui.launchUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase")));
            browser.findElement(By.xpath("//nav/button[normalize-space()='Account']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("account")));
            assertEquals(relay.uri().toString(), browser.findElement(By.id("account-relay")).getText());
            assertEquals(relay.certificateFingerprint().toString(), browser.findElement(By.id("account-relay-fp")).getText());
            assertEquals("not logged in", browser.findElement(By.id("account-session")).getText());

            WebElement password = browser.findElement(By.id("account-password"));
            assertEquals("Account password", browser.findElement(By.cssSelector("label[for=account-password]")).getText());
            password.sendKeys("not it", Keys.ENTER);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "wrong name or password"));
            password.sendKeys("account password", Keys.ENTER);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "second factor required"));
            browser.findElement(By.id("account-otp")).sendKeys(dev.sealpost.protocol.Totp.code(totp,
                    dev.sealpost.protocol.Totp.step(java.time.Instant.now()) + 1, 6));
            password.sendKeys(Keys.ENTER);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("account-session"), "logged in until"));
            assertTrue(RelayProfile.Session.load(home).isPresent(), "the session is kept in SEALPOST_HOME, as sealpost login keeps it");
            screenshot("ui-account");

            browser.findElement(By.xpath("//nav/button[normalize-space()='Contacts']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("contacts-table")));
            List<WebElement> cells = browser.findElements(By.cssSelector("#contacts-table tbody td"));
            PublicIdentity alice = IdentityFiles.readPublic(home.identityDir());
            SafetyNumber safety = SafetyNumber.of(alice.signingFingerprint(), bob.publicIdentity().signingFingerprint());
            assertEquals(safety, SafetyNumber.of(bob.publicIdentity().signingFingerprint(), alice.signingFingerprint()),
                    "bob's sealpost shows him the same number");
            assertEquals(List.of("bob", bob.publicIdentity().signingFingerprint().toString(), "pinned on first use", safety.toString()),
                    cells.stream().map(WebElement::getText).toList());
            assertEquals(alice.signingFingerprint().toString(), browser.findElement(By.id("contacts-my-fp")).getText());
            assertFalse(browser.findElement(By.id("retrust")).isDisplayed(), "no key changed: no re-trust form");
            // the QR code, as drawn on the screen, reads back as alice's name and fingerprint
            WebElement qr = browser.findElement(By.id("fingerprint-qr"));
            wait.until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                    "return arguments[0].complete && arguments[0].naturalWidth > 0;", qr));
            // a loaded image may be painted a frame later: read the screen until a code is on it (CI once shot it blank)
            com.google.zxing.Result read = wait.until(d -> readQr(qr));
            assertEquals("sealpost:alice?signing=" + alice.signingFingerprint(), read.getText());
            screenshot("ui-contacts");
            assertNoConsoleErrors(List.of("401 (Unauthorized)"));
        }
    }

    /** Registers the UI's own identity (alice, in {@code dir/home}) on the relay; @return her home. */
    private SealpostHome registerAlice(RelayServer relay) throws IOException, java.security.GeneralSecurityException {
        SealpostHome home = new SealpostHome(dir.resolve("home"));
        register(relay, home, IdentityFiles.read(home.identityDir(), PASSPHRASE.toCharArray()));
        return home;
    }

    /** Follows the launch link and unlocks with the passphrase, as a person would. */
    private void openAndUnlock() {
        browser.get(ui.launchUri().toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase"))).sendKeys(PASSPHRASE, Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("home")));
    }

    /** Registers {@code name} on the relay, logs in and publishes its keys, as sealpost register does; @return its client. */
    /**
     * Clicks what {@code css} finds once the page has drawn it: a list drawn again (a pushed
     * message) makes the element found a moment before stale, so it is found again.
     */
    private static void clickWhenDrawn(WebDriverWait wait, String css) {
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    /** @return how many messages wait for the account whose session {@code home} keeps */
    private static int aliceInbox(SealpostHome home) throws IOException {
        RelayProfile profile = RelayProfile.load(home).orElseThrow();
        return RelayClient.connect(profile.uri(), profile.pin()).withToken(RelayProfile.Session.load(home).orElseThrow().token())
                .messages().inbox().size();
    }

    static RelayClient register(RelayServer relay, SealpostHome home, Identity id) throws IOException {
        RelayClient client = RelayClient.connect(relay.uri(), relay.certificateFingerprint());
        client.accounts().register(id.name(), ("password of " + id.name()).toCharArray());
        new RelayProfile(relay.uri().toString(), relay.certificateFingerprint().toString(), id.name()).save(home);
        SessionResponse session = client.accounts().login(id.name(), ("password of " + id.name()).toCharArray());
        new RelayProfile.Session(session.token(), session.expiresAt()).save(home);
        RelayClient authed = client.withToken(session.token());
        authed.accounts().publishKeys(new KeyBundle(id.name(), Pem.encodeCertificate(id.signingCertificate()),
                Pem.encodeCertificate(id.encryptionCertificate())));
        return authed;
    }

    private static byte[] png(int width, int height, long seed) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** The PNG with a tEXt chunk (PNG 1.2 §4.2.3.1) inserted after IHDR: metadata the UI must strip. */
    private static byte[] withText(byte[] png, String keyword, String text) {
        byte[] data = (keyword + "\0" + text).getBytes(StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(12 + data.length).putInt(data.length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] type = "tEXt".getBytes(StandardCharsets.US_ASCII);
        crc.update(type);
        crc.update(data);
        chunk.put(type).put(data).putInt((int) crc.getValue());
        int afterIhdr = 8 + 8 + 13 + 4;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        out.writeBytes(chunk.array());
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    private static int[] pixels(byte[] image) throws IOException {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(image));
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void compose_twoImagesAndALargeFile_sendsWithProgress_andBobReceivesThemIntact() throws Exception {
        try (RelayServer relay = RelayServer.start(RelayConfig.defaults(dir.resolve("relay")).withPort(0))) {
            SealpostHome aliceHome = registerAlice(relay);
            SealpostHome bobHome = new SealpostHome(dir.resolve("bob"));
            Identity bob = Identity.generate("bob", Suite.P256);
            IdentityFiles.write(bobHome.identityDir(), bob, PASSPHRASE.toCharArray());
            RelayClient bobRelay = register(relay, bobHome, bob);
            bobUi = UiServer.start(bobHome, 0, Duration.ofMinutes(15), dir.resolve("bob-received"), Clock.systemUTC());
            bobUi.unlock(PASSPHRASE.toCharArray());
            bobBrowser = chromium(dir.resolve("bob-profile"));
            WebDriverWait bobWait = new WebDriverWait(bobBrowser, Duration.ofSeconds(20));
            bobBrowser.get(bobUi.launchUri().toString());
            bobWait.until(ExpectedConditions.visibilityOfElementLocated(By.id("home")));
            bobBrowser.findElement(By.xpath("//nav/button[normalize-space()='Inbox']")).click();
            bobWait.until(ExpectedConditions.visibilityOfElementLocated(By.id("inbox-empty")));
            Path files = Files.createDirectories(dir.resolve("files"));
            byte[] photo = withText(png(64, 48, 1), "Author", "Alice Example");
            byte[] scan = png(33, 70, 2);
            byte[] large = new byte[17 << 20]; // over the 16 MiB inline bound: streamed as a blob, with progress
            new java.util.Random(3).nextBytes(large);
            Files.write(files.resolve("photo.png"), photo);
            Files.write(files.resolve("scan.png"), scan);
            Files.write(files.resolve("data.bin"), large);

            openAndUnlock();
            browser.findElement(By.xpath("//nav/button[normalize-space()='Compose']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("compose")));
            browser.findElement(By.id("to")).sendKeys("bob");
            browser.findElement(By.id("subject")).sendKeys("the scan");
            browser.findElement(By.id("compose-text")).sendKeys("Here it is.");
            assertEquals("Message", browser.findElement(By.cssSelector("label[for=compose-text]")).getText());
            browser.findElement(By.id("attach")).sendKeys(files.resolve("photo.png") + "\n" + files.resolve("scan.png")
                    + "\n" + files.resolve("data.bin"));
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#attachments li"), 3));
            assertEquals(2, browser.findElements(By.cssSelector("#attachments li img")).size(), "a preview for each image");
            // what will travel, before Send: each image compressed and stripped on the local server as it arrived
            List<String> lines = wait.until(d -> {
                List<String> l = d.findElements(By.cssSelector("#attachments li .what-travels")).stream().map(WebElement::getText).toList();
                return l.stream().noneMatch(t -> t.startsWith("attaching") || t.startsWith("compressing")) ? l : null;
            });
            assertTrue(lines.get(0).matches("\\d+\\.\\d KiB → \\d+\\.\\d KiB \\(64×48\\); removes author and copyright"), lines.get(0));
            assertTrue(lines.get(1).matches("\\d+\\.\\d KiB → \\d+\\.\\d KiB \\(33×70\\); no metadata found"), lines.get(1));
            assertEquals("17.0 MiB, sent as it is", lines.get(2));
            browser.findElement(By.cssSelector("#compression option[value=none]")).click();
            wait.until(ExpectedConditions.textMatches(By.cssSelector("#attachments li .what-travels"),
                    java.util.regex.Pattern.compile("keeps author and copyright$")));
            browser.findElement(By.cssSelector("#compression option[value=lossless]")).click();
            wait.until(ExpectedConditions.textMatches(By.cssSelector("#attachments li .what-travels"),
                    java.util.regex.Pattern.compile("removes author and copyright$")));
            screenshot("ui-compose");
            browser.findElement(By.id("send")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("send-result"), "Sent "));
            assertEquals("", browser.findElement(By.id("send-error")).getText());
            WebElement bar = browser.findElement(By.cssSelector("#send-progress progress"));
            assertEquals(bar.getAttribute("max"), bar.getAttribute("value"), "the streamed file's progress reached its end");
            screenshot("ui-sent");

            // bob's own UI, its Inbox open since before the send: the message is there without a reload
            String listed = bobWait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d ->
                    d.findElements(By.cssSelector("#messages li button")).stream().map(WebElement::getText).findFirst().orElse(null));
            assertTrue(listed.startsWith("the scan\nfrom alice"), listed);
            clickWhenDrawn(bobWait, "#messages li button");
            WebElement panel = bobWait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#verification.ok")));
            assertEquals("Signature verified by alice, " + IdentityFiles.readPublic(aliceHome.identityDir()).signingFingerprint(),
                    panel.getText());
            assertEquals("Here it is.", bobBrowser.findElement(By.id("message-text")).getText());
            List<WebElement> fileItems = bobBrowser.findElements(By.cssSelector("#message-files li"));
            assertEquals(1, fileItems.size());
            assertTrue(fileItems.getFirst().getText().startsWith("data.bin (17.0 MiB)"), fileItems.getFirst().getText());
            // the streamed file on its own: downloaded, decrypted, checked against the signed digest, with progress
            bobBrowser.findElement(By.cssSelector("button[aria-label='Save data.bin']")).click();
            bobWait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("save-result"), "Saved "));
            Path copy = only(dir.resolve("bob-received"), "data.bin");
            assertArrayEquals(large, Files.readAllBytes(copy), "the copy, byte for byte");
            WebElement saveBar = bobBrowser.findElement(By.cssSelector("#save-progress progress"));
            assertEquals(saveBar.getAttribute("max"), saveBar.getAttribute("value"), "the download's progress reached its end");
            Files.delete(copy);
            bobBrowser.findElement(By.id("save-all")).click();
            bobWait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("save-result"), "Saved 3 files"));
            Path out = dir.resolve("bob-received");
            assertArrayEquals(pixels(photo), pixels(Files.readAllBytes(only(out, "photo"))), "photo: the same pixels");
            assertFalse(new String(Files.readAllBytes(only(out, "photo")), StandardCharsets.ISO_8859_1).contains("Alice Example"),
                    "the author's name did not travel");
            assertArrayEquals(pixels(scan), pixels(Files.readAllBytes(only(out, "scan"))), "scan: the same pixels");
            assertArrayEquals(large, Files.readAllBytes(only(out, "data.bin")), "the file, byte for byte");
            assertEquals(List.of(), bobRelay.messages().inbox(), "received and acknowledged");
            assertNoConsoleErrors(List.of());
        }
    }

    @Test
    void inbox_showsMailLive_verified_savesItIntact_andRefusesATamperedOne() throws Exception {
        try (RelayServer relay = RelayServer.start(RelayConfig.defaults(dir.resolve("relay")).withPort(0))) {
            SealpostHome aliceHome = registerAlice(relay);
            SealpostHome bobHome = new SealpostHome(dir.resolve("bob"));
            Identity bob = Identity.generate("bob", Suite.P256);
            RelayClient bobRelay = register(relay, bobHome, bob);
            byte[] photo = png(40, 30, 4);
            byte[] scan = png(20, 60, 5);

            openAndUnlock();
            browser.findElement(By.xpath("//nav/button[normalize-space()='Inbox']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("inbox-empty")));

            // bob sends while alice's inbox is open: it appears without a reload (server push)
            sendFromBob(bob, bobHome, bobRelay, "scans", "Both pages.",
                    List.of(new Attachment("photo.png", "image/png", photo), new Attachment("scan.png", "image/png", scan)));
            String listed = wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d ->
                    d.findElements(By.cssSelector("#messages li button")).stream().map(WebElement::getText).findFirst().orElse(null));
            assertTrue(listed.contains("scans") && listed.contains("from bob"), listed);
            clickWhenDrawn(wait, "#messages li button");
            WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("verification")));
            assertEquals("Signature verified by bob, " + bob.publicIdentity().signingFingerprint(), panel.getText());
            assertEquals("Both pages.", browser.findElement(By.id("message-text")).getText());
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#message-images img"), 2));
            wait.until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                    "return [...document.querySelectorAll('#message-images img')].every(i => i.complete && i.naturalWidth > 0);"));
            assertEquals(List.of(40L, 20L), ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                    "return [...document.querySelectorAll('#message-images img')].map(i => Math.round(i.getBoundingClientRect().width));"),
                    "shown, at full size");
            screenshot("ui-inbox");

            // one file saved on its own: a copy, verified, and the message stays waiting
            browser.findElement(By.cssSelector("button[aria-label='Save scan.png']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("save-result"), "Saved "));
            Path copy = only(dir.resolve("received"), "scan");
            assertEquals("Saved " + copy.toAbsolutePath(), browser.findElement(By.id("save-result")).getText());
            assertArrayEquals(scan, Files.readAllBytes(copy));
            assertEquals(1, aliceInbox(aliceHome), "still waiting for alice");
            Files.delete(copy);

            // Settings: another folder, kept for the next run; Save all writes there
            Path chosen = dir.resolve("chosen folder");
            browser.findElement(By.xpath("//nav/button[normalize-space()='Settings']")).click();
            WebElement folder = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("save-folder")));
            assertEquals(dir.resolve("received").toAbsolutePath().toString(), folder.getAttribute("value"));
            folder.clear();
            folder.sendKeys(chosen.toString());
            browser.findElement(By.xpath("//form[@id='settings-form']//button[normalize-space()='Save settings']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("settings-result"), "Received files are saved in " + chosen));
            assertTrue(Files.readString(aliceHome.root().resolve("ui").resolve("settings.json")).contains("chosen folder"));
            screenshot("ui-settings");
            browser.findElement(By.xpath("//nav/button[normalize-space()='Inbox']")).click();
            clickWhenDrawn(wait, "#messages li button");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("save-all"))).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("save-result"), "Saved 2 files"));
            assertArrayEquals(photo, Files.readAllBytes(only(chosen, "photo")));
            assertArrayEquals(scan, Files.readAllBytes(only(chosen, "scan")));
            assertEquals(0, aliceInbox(aliceHome), "received and acknowledged");

            // a message changed after it was sealed (as on the relay's disk): refused in plain words, and nothing
            // saved. Changed on its way in, not on the disk afterwards: the UI opens pushed mail at once, and a
            // change to the stored file could come after it had opened the message intact.
            sendFromBob(bob, bobHome, bobRelay, "tampered", "x".repeat(2000), List.of(), sealed -> {
                sealed[sealed.length / 2] ^= 1;
                return sealed;
            });
            browser.findElement(By.xpath("//nav/button[normalize-space()='Inbox']")).click();
            // the list is drawn again when the push event for this message arrives: click what is there then
            clickWhenDrawn(wait, "#messages li button.refused");
            WebElement reason = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#verification.refused")));
            assertTrue(reason.getText().startsWith("Refused: ") && reason.getText().endsWith("Nothing was saved."), reason.getText());
            assertFalse(browser.findElement(By.id("save-all")).isDisplayed());
            try (java.util.stream.Stream<Path> st = Files.walk(dir.resolve("received"))) {
                assertEquals(0, st.filter(Files::isRegularFile).count(), "nothing of the tampered message");
            }
            try (java.util.stream.Stream<Path> st = Files.walk(chosen)) {
                assertEquals(2, st.filter(Files::isRegularFile).count(), "only the first message's two images");
            }
            screenshot("ui-refused");
            assertNoConsoleErrors(List.of());
        }
    }

    @Test
    void keyChange_warnsLoudly_andBlocksSending_untilTheNewKeyIsTrusted() throws Exception {
        try (RelayServer relay = RelayServer.start(RelayConfig.defaults(dir.resolve("relay")).withPort(0))) {
            SealpostHome aliceHome = registerAlice(relay);
            Identity oldBob = Identity.generate("bob", Suite.P256);
            RelayClient bobRelay = register(relay, new SealpostHome(dir.resolve("bob")), oldBob);
            Contacts.load(aliceHome).pinOrCheck(bobRelay.accounts().keys("bob")); // alice knew bob's first keys
            Identity newBob = Identity.generate("bob", Suite.P256); // bob set sealpost up again
            bobRelay.accounts().publishKeys(new KeyBundle("bob", Pem.encodeCertificate(newBob.signingCertificate()),
                    Pem.encodeCertificate(newBob.encryptionCertificate())));
            String offered = newBob.publicIdentity().signingFingerprint().toString();

            openAndUnlock();
            browser.findElement(By.xpath("//nav/button[normalize-space()='Compose']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("to"))).sendKeys("bob");
            browser.findElement(By.id("compose-text")).sendKeys("hello");
            browser.findElement(By.id("send")).click();
            WebElement warning = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-changed")));
            assertTrue(warning.getText().startsWith("bob's keys changed"), warning.getText());
            assertEquals("bob's keys changed: nothing was sent", browser.findElement(By.id("send-error")).getText());
            assertEquals(List.of(), bobRelay.messages().inbox(), "nothing reached the relay for bob");

            browser.findElement(By.id("compare-and-trust")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("retrust")));
            assertEquals(offered, browser.findElement(By.id("retrust-fingerprint")).getText());
            assertFalse(browser.findElement(By.id("retrust-submit")).isEnabled(), "not before the user says they compared");
            screenshot("ui-key-changed");
            browser.findElement(By.id("retrust-confirm")).click();
            browser.findElement(By.id("retrust-submit")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("retrust-result"), "bob's new key is trusted"));
            assertEquals(List.of("bob", offered, "yes"), browser.findElements(By.cssSelector("#contacts-table tbody td")).stream()
                    .map(WebElement::getText).toList().subList(0, 3));

            // the draft is still there: send it again
            browser.findElement(By.xpath("//nav/button[normalize-space()='Compose']")).click();
            assertEquals("bob", wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("to"))).getAttribute("value"));
            browser.findElement(By.id("send")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("send-result"), "Sent "));
            assertEquals(1, bobRelay.messages().inbox().size());
            assertNoConsoleErrors(List.of());
        }
    }

    @Test
    void keyChangeOnReceipt_refusesTheMessage_untilTrustedFromTheInbox() throws Exception {
        try (RelayServer relay = RelayServer.start(RelayConfig.defaults(dir.resolve("relay")).withPort(0))) {
            SealpostHome aliceHome = registerAlice(relay);
            SealpostHome bobHome = new SealpostHome(dir.resolve("bob"));
            Identity oldBob = Identity.generate("bob", Suite.P256);
            RelayClient bobRelay = register(relay, bobHome, oldBob);
            Contacts.load(aliceHome).pinOrCheck(bobRelay.accounts().keys("bob")); // alice knew bob's first keys
            Identity newBob = Identity.generate("bob", Suite.P256);
            bobRelay.accounts().publishKeys(new KeyBundle("bob", Pem.encodeCertificate(newBob.signingCertificate()),
                    Pem.encodeCertificate(newBob.encryptionCertificate())));
            String offered = newBob.publicIdentity().signingFingerprint().toString();
            sendFromBob(newBob, bobHome, bobRelay, "new phone", "It's me.", List.of());

            openAndUnlock();
            browser.findElement(By.xpath("//nav/button[normalize-space()='Inbox']")).click();
            clickWhenDrawn(wait, "#messages li button.refused");
            WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#verification.refused")));
            assertTrue(panel.getText().startsWith("Refused: bob's keys changed since you pinned them"), panel.getText());
            assertFalse(browser.findElement(By.id("save-all")).isDisplayed());
            browser.findElement(By.id("inbox-compare-and-trust")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("retrust")));
            assertEquals(offered, browser.findElement(By.id("retrust-fingerprint")).getText());
            browser.findElement(By.id("retrust-confirm")).click();
            browser.findElement(By.id("retrust-submit")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("retrust-result"), "bob's new key is trusted"));

            browser.findElement(By.xpath("//nav/button[normalize-space()='Inbox']")).click();
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                WebElement b = d.findElement(By.cssSelector("#messages li button"));
                if (b.getAttribute("class").contains("refused")) {
                    return false;
                }
                b.click();
                return true;
            });
            assertEquals("Signature verified by bob, " + offered,
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#verification.ok"))).getText());
            assertEquals("It's me.", browser.findElement(By.id("message-text")).getText());
            assertNoConsoleErrors(List.of());
        }
    }

    @Test
    void cancel_stopsTheSend_keepsTheDraft_andSendAgainDeliversIt() throws Exception {
        try (RelayServer relay = RelayServer.start(RelayConfig.defaults(dir.resolve("relay")).withPort(0))) {
            registerAlice(relay);
            RelayClient bobRelay = register(relay, new SealpostHome(dir.resolve("bob")), Identity.generate("bob", Suite.P256));
            Path big = dir.resolve("big.bin"); // random, so not deflated: its upload takes a while
            java.util.Random random = new java.util.Random(11);
            byte[] chunk = new byte[1 << 20];
            try (var out = Files.newOutputStream(big)) {
                for (int i = 0; i < 300; i++) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
            }
            openAndUnlock();
            browser.findElement(By.xpath("//nav/button[normalize-space()='Compose']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("to"))).sendKeys("bob");
            browser.findElement(By.id("attach")).sendKeys(big.toString());
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("#attachments li .what-travels"), "sent as it is"));
            browser.findElement(By.id("send")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.id("cancel-send"))).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("send-error"), "cancelled"));
            assertEquals("", browser.findElement(By.id("send-result")).getText());
            assertEquals(List.of(), bobRelay.messages().inbox(), "nothing was sent");
            assertEquals(1, browser.findElements(By.cssSelector("#attachments li")).size(), "the draft stays");

            browser.findElement(By.id("send")).click(); // its upload resumes
            new WebDriverWait(browser, Duration.ofSeconds(120)).until(
                    ExpectedConditions.textToBePresentInElementLocated(By.id("send-result"), "Sent "));
            assertEquals(1, bobRelay.messages().inbox().size());
            assertNoConsoleErrors(List.of());
        }
    }

    @Test
    void composeAndSend_withTheKeyboardOnly() throws Exception {
        try (RelayServer relay = RelayServer.start(RelayConfig.defaults(dir.resolve("relay")).withPort(0))) {
            SealpostHome aliceHome = registerAlice(relay);
            RelayClient bobRelay = register(relay, new SealpostHome(dir.resolve("bob")), Identity.generate("bob", Suite.P256));

            browser.get(ui.launchUri().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase")));
            org.openqa.selenium.interactions.Actions keys = new org.openqa.selenium.interactions.Actions(browser);
            keys.sendKeys(PASSPHRASE, Keys.ENTER).perform(); // the passphrase field has the focus
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("home")));
            // from "Lock" (focused after unlocking) back through the navigation to "Compose"
            WebElement compose = browser.findElement(By.xpath("//nav/button[normalize-space()='Compose']"));
            for (int i = 0; i < 10 && !compose.equals(browser.switchTo().activeElement()); i++) {
                keys.keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
            }
            assertEquals(compose, browser.switchTo().activeElement());
            keys.sendKeys(Keys.ENTER).perform();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("compose")));
            wait.until(d -> d.switchTo().activeElement().equals(d.findElement(By.id("to"))));
            keys.sendKeys("bob", Keys.TAB, "by keyboard", Keys.TAB, "no mouse was used", Keys.TAB).perform();
            assertEquals("attach", browser.switchTo().activeElement().getAttribute("id"));
            keys.sendKeys(Keys.TAB).perform();
            assertEquals("compression", browser.switchTo().activeElement().getAttribute("id"));
            keys.sendKeys(Keys.TAB).perform();
            assertEquals("send", browser.switchTo().activeElement().getAttribute("id"));
            keys.sendKeys(Keys.ENTER).perform();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("send-result"), "Sent "));
            assertEquals(1, bobRelay.messages().inbox().size());
            assertNoConsoleErrors(List.of());
        }
    }

    private static void sendFromBob(Identity bob, SealpostHome bobHome, RelayClient bobRelay, String subject, String text,
                                    List<Attachment> attachments) throws Exception {
        sendFromBob(bob, bobHome, bobRelay, subject, text, attachments, sealed -> sealed);
    }

    /** As above, with the sealed message changed by {@code change} after sealing, before the relay stores it. */
    private static void sendFromBob(Identity bob, SealpostHome bobHome, RelayClient bobRelay, String subject, String text,
                                    List<Attachment> attachments, java.util.function.UnaryOperator<byte[]> change) throws Exception {
        PinnedKeys pins = new PinnedKeys(bob, Contacts.load(bobHome), bobRelay.accounts(), n -> { });
        try (RelayDestination relay = new RelayDestination(bobRelay, bobHome, n -> { })) {
            dev.sealpost.client.Destination<dev.sealpost.client.Sent> destination = new dev.sealpost.client.Destination<>() {
                @Override
                public dev.sealpost.client.BlobRef put(dev.sealpost.client.OutgoingFile file, Progress progress) throws IOException {
                    return relay.put(file, progress);
                }

                @Override
                public dev.sealpost.client.Sent deliver(dev.sealpost.client.Letter letter, byte[] sealed,
                                                        List<dev.sealpost.client.Recipient> recipients) throws IOException {
                    return relay.deliver(letter, change.apply(sealed.clone()), recipients);
                }

                @Override
                public void close() {
                    // the relay destination is closed below
                }
            };
            new OutgoingPipeline(bob, Clock.systemUTC(), OutgoingPipeline.DEFAULT_INLINE_LIMIT)
                    .send(pins.recipients(List.of("alice")), new Draft(subject, text, attachments, List.of()), destination, Progress.NONE);
        }
    }

    /** The one saved file whose name starts with {@code prefix}, anywhere under {@code dir}. */
    private static Path only(Path dir, String prefix) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            List<Path> found = s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertEquals(1, found.size(), prefix + " in " + found);
            return found.getFirst();
        }
    }

    @Test
    void spentLink_showsTheRefusal_andNoPage() {
        String link = ui.launchUri().toString();
        browser.get(link);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase")));
        try (WebDriverHolder other = new WebDriverHolder(chromium(dir.resolve("profile2")))) {
            other.driver.get(link);
            String body = other.driver.findElement(By.tagName("body")).getText();
            assertTrue(body.contains("used already"), body);
            assertTrue(other.driver.findElements(By.id("passphrase")).isEmpty());
        }
    }

    @Test
    void everyIdOnThePage_isUnique_andEveryFieldHasALabel() {
        browser.get(ui.launchUri().toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passphrase")));
        List<String> ids = browser.findElements(By.cssSelector("[id]")).stream().map(e -> e.getAttribute("id")).toList();
        assertEquals(ids.size(), new java.util.HashSet<>(ids).size(), "duplicate ids: " + ids);
        for (WebElement field : browser.findElements(By.cssSelector("input, textarea, select"))) {
            String id = field.getAttribute("id");
            assertEquals(1, browser.findElements(By.cssSelector("label[for='" + id + "']")).size(), "a label for #" + id);
        }
    }

    /** Fails on any console message of level SEVERE but the expected ones (the wrong passphrase's 401). */
    private void assertNoConsoleErrors(List<String> expected) {
        List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(e -> expected.stream().noneMatch(x -> e.getMessage().contains(x)))
                .toList();
        assertEquals(List.of(), severe.stream().map(LogEntry::getMessage).toList());
    }

    private void screenshot(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path out = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(out.getParent());
        Files.copy(shot, out, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A second browser, quit at the end of a block. */
    private record WebDriverHolder(WebDriver driver) implements AutoCloseable {
        @Override
        public void close() {
            driver.quit();
        }
    }

    /** @return the QR code in {@code element} as the screen shows it now, or null if none reads there yet */
    private static com.google.zxing.Result readQr(WebElement element) {
        try {
            java.awt.image.BufferedImage shot = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                    element.getScreenshotAs(org.openqa.selenium.OutputType.BYTES)));
            int[] rgb = shot.getRGB(0, 0, shot.getWidth(), shot.getHeight(), null, 0, shot.getWidth());
            return new com.google.zxing.qrcode.QRCodeReader().decode(new com.google.zxing.BinaryBitmap(
                    new com.google.zxing.common.HybridBinarizer(new com.google.zxing.RGBLuminanceSource(shot.getWidth(), shot.getHeight(), rgb))));
        } catch (com.google.zxing.ReaderException e) {
            return null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
