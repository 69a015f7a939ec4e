package dev.sealpost.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.client.SealpostHome;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.IdentityFiles;
import dev.sealpost.crypto.Suite;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local server's access rules ({@link LocalAccess}) against a real server on 127.0.0.1,
 * spoken to over raw sockets so that every header (Host included) is the test's choice.
 */
class UiSecurityTest {
    static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    Path dir;
    UiServer ui;
    MovableClock clock = new MovableClock();

    @BeforeEach
    void start() throws Exception {
        SealpostHome home = new SealpostHome(dir);
        IdentityFiles.write(home.identityDir(), Identity.generate("alice", Suite.P256), PASSPHRASE.toCharArray());
        ui = UiServer.start(home, 0, Duration.ofMinutes(15), dir.resolve("received"), clock);
    }

    @AfterEach
    void stop() {
        if (ui != null) {
            ui.close();
        }
    }

    @Test
    void launchLink_worksOnce_andGivesAStrictHttpOnlyCookie() throws IOException {
        String path = ui.launchUri().getRawPath() + "?" + ui.launchUri().getRawQuery();
        Response first = request("GET", path, host(), Map.of(), null);
        assertEquals(303, first.status, first.body);
        assertEquals("/", first.headers.get("location"));
        String cookie = first.headers.get("set-cookie");
        assertTrue(cookie.startsWith(LocalAccess.COOKIE + "="), cookie);
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        assertFalse(ui.launchUri().toString().contains("token="), "the printed link is spent");

        Response again = request("GET", path, host(), Map.of(), null);
        assertEquals(403, again.status);
        assertNull(again.headers.get("set-cookie"));
        assertTrue(again.body.contains("used already"), again.body);

        Response page = request("GET", "/", host(), Map.of("Cookie", cookieValue(cookie)), null);
        assertEquals(200, page.status);
        assertTrue(page.body.contains("<label for=\"passphrase\">Passphrase</label>"), page.body);
    }

    @Test
    void withoutTheCookie_everythingIs401() throws IOException {
        for (String path : new String[] {"/", "/app.js", "/api/state", "/api/session"}) {
            assertEquals(401, request("GET", path, host(), Map.of(), null).status, path);
        }
        assertEquals(401, request("GET", "/api/state", host(), Map.of("Cookie", LocalAccess.COOKIE + "=guess"), null).status);
    }

    @Test
    void foreignHost_isRefused_evenWithTheCookie() throws IOException {
        Map<String, String> cookie = Map.of("Cookie", login());
        assertEquals(200, request("GET", "/api/state", host(), cookie, null).status);
        assertEquals(200, request("GET", "/api/state", "localhost:" + ui.port(), cookie, null).status);
        // DNS rebinding: a page of attacker.example whose name now points to 127.0.0.1
        for (String foreign : new String[] {"attacker.example:" + ui.port(), "attacker.example", "127.0.0.1:" + (ui.port() + 1),
                "127.0.0.1", "[::1]:" + ui.port()}) {
            Response r = request("GET", "/api/state", foreign, cookie, null);
            assertEquals(403, r.status, foreign);
            assertFalse(r.body.contains("alice"), r.body);
        }
    }

    @Test
    void change_needsOwnOrigin_sameOriginFetch_andTheCsrfToken() throws IOException {
        String cookie = login();
        String csrf = csrf(cookie);
        String origin = "http://127.0.0.1:" + ui.port();
        Map<String, String> good = Map.of("Cookie", cookie, "Origin", origin, "Sec-Fetch-Site", "same-origin",
                LocalAccess.CSRF_HEADER, csrf);
        assertEquals(403, request("POST", "/api/lock", host(), without(good, LocalAccess.CSRF_HEADER), "").status, "no CSRF token");
        assertEquals(403, request("POST", "/api/lock", host(), with(good, LocalAccess.CSRF_HEADER, csrf + "x"), "").status, "wrong token");
        assertEquals(403, request("POST", "/api/lock", host(), with(good, "Origin", "https://attacker.example"), "").status, "foreign Origin");
        assertEquals(403, request("POST", "/api/lock", host(), with(good, "Origin", "null"), "").status, "opaque Origin");
        assertEquals(403, request("POST", "/api/lock", host(), without(good, "Origin"), "").status, "no Origin");
        assertEquals(403, request("POST", "/api/lock", host(), with(good, "Sec-Fetch-Site", "cross-site"), "").status, "cross-site fetch");
        assertEquals(204, request("POST", "/api/lock", host(), good, "").status);
        assertEquals(204, request("POST", "/api/lock", host(), without(good, "Sec-Fetch-Site"), "").status, "an older browser");
    }

    @Test
    void unlock_wrongPassphraseIs401_rightOneUnlocks_andIdlenessLocks() throws IOException {
        String cookie = login();
        Map<String, String> h = Map.of("Cookie", cookie, "Origin", "http://127.0.0.1:" + ui.port(), LocalAccess.CSRF_HEADER, csrf(cookie),
                "Content-Type", "application/json");
        Response wrong = request("POST", "/api/unlock", host(), h, "{\"passphrase\":\"wrong\"}");
        assertEquals(401, wrong.status);
        assertEquals("{\"error\":\"wrong passphrase\"}", wrong.body);
        assertTrue(state(cookie).contains("\"unlocked\":false"));

        assertEquals(204, request("POST", "/api/unlock", host(), h, "{\"passphrase\":\"" + PASSPHRASE + "\"}").status);
        assertTrue(state(cookie).contains("\"unlocked\":true"));
        clock.advance(Duration.ofMinutes(14));
        assertTrue(state(cookie).contains("\"unlocked\":true"), "reading the state is not a use, but 14 min is not idle yet");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(state(cookie).contains("\"unlocked\":false"), "15 minutes without use lock the keys");
    }

    @Test
    void everyAnswer_hasTheSecurityHeaders_andNoCors() throws IOException {
        String cookie = login();
        for (Response r : new Response[] {
                request("GET", "/", host(), Map.of("Cookie", cookie), null),
                request("GET", "/api/state", host(), Map.of("Cookie", cookie, "Origin", "https://attacker.example"), null),
                request("GET", "/api/state", "attacker.example", Map.of(), null)}) {
            UiServer.SECURITY_HEADERS.forEach((name, value) ->
                    assertEquals(value, r.headers.get(name.toLowerCase(Locale.ROOT)), name + " on " + r.status));
            assertTrue(r.headers.keySet().stream().noneMatch(k -> k.startsWith("access-control-")), r.headers.toString());
        }
    }

    @Test
    void notReachable_onAnAddressOtherThanLoopback() throws IOException {
        Optional<InetAddress> other = nonLoopbackAddress();
        Assumptions.assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address to try");
        try (Socket s = new Socket()) {
            assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(other.get(), ui.port()), 2_000));
        }
    }

    @Test
    void draftsFolder_isPrivate_andADraftLeftByAnEarlyRunIsDeletedAtStart() throws IOException {
        Path drafts = dir.resolve("ui").resolve("drafts");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ui"))));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(drafts)));
        Files.write(Files.createDirectory(drafts.resolve("left")).resolve("0"), new byte[] {1});
        ui.close();
        ui = UiServer.start(new SealpostHome(dir), 0, Duration.ofMinutes(15), dir.resolve("received"), clock);
        try (java.util.stream.Stream<Path> s = Files.list(drafts)) {
            assertEquals(java.util.List.of(), s.toList());
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    record Response(int status, Map<String, String> headers, String body) {}

    private String host() {
        return "127.0.0.1:" + ui.port();
    }

    /** Follows the launch link; @return the {@code Cookie} header value of the session. */
    private String login() throws IOException {
        String path = ui.launchUri().getRawPath() + "?" + ui.launchUri().getRawQuery();
        return cookieValue(request("GET", path, host(), Map.of(), null).headers.get("set-cookie"));
    }

    private String csrf(String cookie) throws IOException {
        Matcher m = Pattern.compile("\"csrf\":\"([^\"]+)\"").matcher(request("GET", "/api/session", host(), Map.of("Cookie", cookie), null).body);
        assertTrue(m.find());
        return m.group(1);
    }

    private String state(String cookie) throws IOException {
        return request("GET", "/api/state", host(), Map.of("Cookie", cookie), null).body;
    }

    private static String cookieValue(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static Map<String, String> with(Map<String, String> h, String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(h);
        m.put(name, value);
        return m;
    }

    private static Map<String, String> without(Map<String, String> h, String name) {
        Map<String, String> m = new LinkedHashMap<>(h);
        m.remove(name);
        return m;
    }

    /** One HTTP/1.1 request on its own connection, with exactly these headers. */
    private Response request(String method, String path, String host, Map<String, String> headers, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", ui.port())) {
            s.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                head.append("Content-Length: ").append(b.length).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, split).split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                h.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            String rest = raw.substring(split + 4);
            if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
                rest = dechunk(rest);
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), h, rest);
        }
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = s.indexOf("\r\n", at);
            int size = Integer.parseInt(s.substring(at, eol).strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(s, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-06T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
