package dev.sealpost.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 12's large-file goal, driven in two headless Chromiums against two {@code sealpost ui}
 * processes and a relay that {@code bench/ui-large.sh} started (separate processes, so the
 * script can read each one's peak RSS): alice attaches a large file on Compose and sends it to
 * bob ("Sent ..." shown; the progress bars on the page sampled on the way), then bob opens it in
 * his Inbox and presses "Save all" ("Saved ..." shown). Only the element ids and the visible
 * texts are used, so it works whether the page uploads a file when it is attached or when Send
 * is pressed. Runs only with {@code -Dsealpost.bench=true}; not asserted beyond the flow
 * finishing and progress being shown: the figures go to a properties file for the script.
 *
 * <p>System properties: {@code sealpost.bench.aliceUrl}, {@code sealpost.bench.bobUrl} (the
 * launch links the UIs printed), {@code sealpost.bench.file} (the file to attach),
 * {@code sealpost.bench.results} (where the figures go), {@code sealpost.bench.minutes}
 * (longest wait per direction, default 30).
 */
@EnabledIfSystemProperty(named = "sealpost.bench", matches = "true")
class UiLargeFileBench {
    @TempDir
    Path dir;

    private final Properties results = new Properties();

    @Test
    void attachSendAndSaveALargeFile() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(UiBrowserTest.CHROMIUM) && Files.isExecutable(UiBrowserTest.CHROMEDRIVER),
                "no chromium");
        String aliceUrl = required("sealpost.bench.aliceUrl");
        String bobUrl = required("sealpost.bench.bobUrl");
        Path file = Path.of(required("sealpost.bench.file")).toAbsolutePath();
        Path out = Path.of(required("sealpost.bench.results"));
        Duration limit = Duration.ofMinutes(Long.getLong("sealpost.bench.minutes", 30));
        long size = Files.size(file);
        String subject = "large file " + size + " bytes";
        results.setProperty("bytes", Long.toString(size));

        Path alicesProfile = dir.resolve("chromium-alice");
        Path bobsProfile = dir.resolve("chromium-bob");
        WebDriver a = UiBrowserTest.chromium(alicesProfile);
        WebDriver b = null;
        try {
            b = UiBrowserTest.chromium(bobsProfile);
            a.get(aliceUrl);
            b.get(bobUrl);
            WebDriverWait wa = new WebDriverWait(a, Duration.ofSeconds(60));
            WebDriverWait wb = new WebDriverWait(b, Duration.ofSeconds(60));
            wa.until(ExpectedConditions.visibilityOfElementLocated(By.id("home"))); // unlocked by SEALPOST_PASSPHRASE
            wb.until(ExpectedConditions.visibilityOfElementLocated(By.id("home")));

            // --- alice: Compose, attach, Send, until "Sent "
            a.findElement(By.xpath("//nav/button[normalize-space()='Compose']")).click();
            wa.until(ExpectedConditions.visibilityOfElementLocated(By.id("to")));
            a.findElement(By.id("to")).sendKeys("bob");
            a.findElement(By.id("subject")).sendKeys(subject);
            System.out.printf("%nlarge: %,d bytes (%s); alice %s, bob %s%n", size, file.getFileName(), hostOf(aliceUrl), hostOf(bobUrl));
            long t0 = System.nanoTime();
            a.findElement(By.id("attach")).sendKeys(file.toString());
            // the page lists the file by its name once it has taken it
            wa.until(ExpectedConditions.textToBePresentInElementLocated(By.id("compose"), file.getFileName().toString()));
            ProgressLog progress = new ProgressLog("#compose", t0);
            WebElement send = new WebDriverWait(a, limit).pollingEvery(Duration.ofMillis(500))
                    .until(d -> { progress.sample(d); return ExpectedConditions.elementToBeClickable(By.id("send")).apply(d); });
            long tClick = System.nanoTime();
            send.click();
            String sent = waitForText(a, "send-result", "Sent ", "send-error", limit, progress);
            long t1 = System.nanoTime();
            progress.sample(a);
            System.out.println("alice: " + sent);
            results.setProperty("send.result", sent);
            results.setProperty("send.seconds", seconds(t1 - t0));
            results.setProperty("send.fromClick.seconds", seconds(t1 - tClick));
            results.setProperty("send.attachToClick.seconds", seconds(tClick - t0));
            progress.report("send");

            // --- bob: Inbox, open the message, Save all, until "Saved"
            long t2 = System.nanoTime();
            openListed(b, subject, limit);
            long t3 = System.nanoTime();
            wb.until(ExpectedConditions.elementToBeClickable(By.id("save-all")));
            ProgressLog saving = new ProgressLog("#inbox", System.nanoTime());
            long t4 = System.nanoTime();
            b.findElement(By.id("save-all")).click();
            String saved = waitForText(b, "save-result", "Saved", "save-error", limit, saving);
            long t5 = System.nanoTime();
            System.out.println("bob: " + saved);
            results.setProperty("save.result", saved);
            results.setProperty("list.seconds", seconds(t3 - t2));
            results.setProperty("save.seconds", seconds(t5 - t4));
            saving.report("save");

            // --- the browsers' memory, before they quit
            chromium("alice", alicesProfile);
            chromium("bob", bobsProfile);
            assertTrue(progress.seen > 0, "no <progress> was shown on Compose while sending");
        } finally {
            try (var w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                results.store(w, "UiLargeFileBench");
            }
            a.quit();
            if (b != null) {
                b.quit();
            }
        }
    }

    /** Clicks Inbox (again every 15 s) until a message with {@code subject} is listed; @return its button. */
    /** Waits until the message is listed in bob's Inbox and clicks it (again if the list was drawn anew meanwhile). */
    private static void openListed(WebDriver b, String subject, Duration limit) {
        listed(b, subject, limit);
        new WebDriverWait(b, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
                .ignoring(java.util.NoSuchElementException.class).until(d -> {
                    d.findElements(By.cssSelector("#messages li button")).stream()
                            .filter(e -> e.getText().startsWith(subject)).findFirst().orElseThrow().click();
                    return true;
                });
    }

    private static WebElement listed(WebDriver b, String subject, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            b.findElement(By.xpath("//nav/button[normalize-space()='Inbox']")).click();
            try {
                return new WebDriverWait(b, Duration.ofSeconds(15)).pollingEvery(Duration.ofMillis(100))
                        .ignoring(StaleElementReferenceException.class).ignoring(java.util.NoSuchElementException.class)
                        .until(d -> d.findElements(By.cssSelector("#messages li button")).stream()
                                .filter(e -> e.getText().startsWith(subject)).findFirst().orElseThrow());
            } catch (org.openqa.selenium.TimeoutException notYet) {
                System.out.println("bob: not listed yet; Inbox again (" + b.findElement(By.id("inbox")).getText().replace('\n', ' ') + ")");
            }
        }
        throw new AssertionError("the message '" + subject + "' never appeared in bob's Inbox");
    }

    /** Waits until element {@code id} contains {@code expected}, sampling the progress bars; fails on text in {@code errorId}. */
    private static String waitForText(WebDriver d, String id, String expected, String errorId, Duration limit, ProgressLog progress) {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            String text = d.findElement(By.id(id)).getText();
            if (text.contains(expected)) {
                return text;
            }
            String error = d.findElement(By.id(errorId)).getText();
            if (!error.isBlank()) {
                progress.sample(d);
                fail("#" + errorId + ": " + error);
            }
            progress.sample(d);
            sleep(500);
        }
        throw new AssertionError("no '" + expected + "' in #" + id + " after " + limit);
    }

    /**
     * The {@code <progress>} elements under one section, sampled: a line is printed when a bar
     * appears, moves by a tenth of its maximum, or reaches its maximum.
     */
    private static final class ProgressLog {
        private static final String SCRIPT = """
                return Array.from(document.querySelectorAll(arguments[0] + ' progress')).map((p) => {
                  const row = p.parentElement;
                  const where = p.closest('[id]');
                  return [p.getAttribute('aria-label') || '', String(p.value), String(p.max),
                          row ? Array.from(row.children).map((c) => c.textContent.trim()).filter((t) => t).join(' | ') : '', where ? where.id : '',
                          String(p.offsetParent !== null)];
                });""";
        private final String section;
        private final long t0;
        private final Map<String, double[]> last = new HashMap<>(); // label -> {value, max}
        private final List<String> where = new ArrayList<>();
        int seen;
        boolean between;
        double first = -1;

        ProgressLog(String section, long t0) {
            this.section = section;
            this.t0 = t0;
        }

        @SuppressWarnings("unchecked")
        void sample(WebDriver d) {
            List<List<String>> bars;
            try {
                bars = (List<List<String>>) ((JavascriptExecutor) d).executeScript(SCRIPT, section);
            } catch (RuntimeException e) {
                return;
            }
            double at = (System.nanoTime() - t0) / 1e9;
            for (List<String> bar : bars) {
                String label = bar.get(0).isEmpty() ? "(no label)" : bar.get(0);
                double value = Double.parseDouble(bar.get(1));
                double max = Double.parseDouble(bar.get(2));
                seen++;
                if (first < 0) {
                    first = at;
                }
                if (value > 0 && value < max) {
                    between = true;
                }
                if (!where.contains("#" + bar.get(4))) {
                    where.add("#" + bar.get(4));
                }
                double[] before = last.get(label);
                if (before == null || value - before[0] >= max / 10 || (value >= max && before[0] < max)) {
                    last.put(label, new double[] {value, max});
                    System.out.printf("progress %6.1f s  #%s  %s: value %.0f of max %.0f (%.0f %%)%s  [%s]%n", at, bar.get(4), label,
                            value, max, max > 0 ? 100 * value / max : 0, "true".equals(bar.get(5)) ? "" : " (not visible)", bar.get(3));
                }
            }
        }

        void report(String key) {
            System.out.printf("%s: %d samples of <progress> under %s%s%n", key, seen, section,
                    seen == 0 ? " (none shown)" : String.format(" in %s, first after %.1f s, values between 0 and max seen: %s",
                            String.join(" ", where), first, between ? "yes" : "no"));
        }
    }

    /** Largest VmHWM and the sum of VmRSS over one Chromium's processes (the browser and its descendants). */
    private void chromium(String who, Path profile) throws IOException {
        String flag = "--user-data-dir=" + profile;
        List<ProcessHandle> browsers = ProcessHandle.allProcesses().filter(p -> cmdline(p.pid()).contains(flag)).toList();
        Map<Long, ProcessHandle> all = new LinkedHashMap<>();
        for (ProcessHandle p : browsers) {
            all.put(p.pid(), p);
            p.descendants().forEach(c -> all.put(c.pid(), c));
        }
        long maxHwm = 0;
        long sumRss = 0;
        String largest = "";
        for (ProcessHandle p : all.values()) {
            long hwm = statusKib(p.pid(), "VmHWM:");
            sumRss += statusKib(p.pid(), "VmRSS:");
            if (hwm > maxHwm) {
                maxHwm = hwm;
                largest = kind(cmdline(p.pid()));
            }
        }
        System.out.printf("chromium %s: %d processes, largest VmHWM %d MiB (%s), VmRSS of all now %d MiB%n", who, all.size(),
                maxHwm / 1024, largest, sumRss / 1024);
        results.setProperty("chromium." + who + ".processes", Integer.toString(all.size()));
        results.setProperty("chromium." + who + ".hwm.kib", Long.toString(maxHwm));
        results.setProperty("chromium." + who + ".hwm.process", largest);
        results.setProperty("chromium." + who + ".rssSum.kib", Long.toString(sumRss));
    }

    private static String kind(String cmdline) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--type=(\\S+)").matcher(cmdline);
        if (!m.find()) {
            return "browser";
        }
        java.util.regex.Matcher u = java.util.regex.Pattern.compile("--utility-sub-type=(\\S+)").matcher(cmdline);
        return u.find() ? m.group(1) + " " + u.group(1) : m.group(1);
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    private static long statusKib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited meanwhile
        }
        return 0;
    }

    private static String required(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("set -D" + name + " (bench/ui-large.sh does)");
        }
        return v;
    }

    private static String hostOf(String url) {
        return java.net.URI.create(url).getAuthority();
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e9);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
