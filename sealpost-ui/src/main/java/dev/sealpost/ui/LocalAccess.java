package dev.sealpost.ui;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * Who may use the UI server: the browser the user opened with the printed link, and nothing
 * else on this machine or the web. The recipe of Jupyter and Syncthing (threat model in
 * docs/UI.md):
 *
 * <ol>
 *   <li><b>Host allow-list</b>: every request must name {@code 127.0.0.1:PORT} or
 *       {@code localhost:PORT}; a page on another origin that rebinds its DNS name to
 *       127.0.0.1 sends its own name and is refused (403).</li>
 *   <li><b>One-time token</b>: the printed URL's {@code ?token=} (256 random bits) is
 *       exchanged, once, for a session cookie ({@code HttpOnly; SameSite=Strict}) and a
 *       redirect that drops the token from the address bar. A second use is refused.</li>
 *   <li><b>Session</b>: every other request needs the cookie (401 without it).</li>
 *   <li><b>Changes</b>: a request other than {@code GET} or {@code HEAD} also needs
 *       {@code Origin} equal to this server's origin, {@code Sec-Fetch-Site: same-origin} when
 *       the browser sends it, and the session's CSRF token in {@value #CSRF_HEADER}
 *       (compared in constant time). No CORS headers are ever sent.</li>
 * </ol>
 *
 * One session at a time: the link opens one browser; running {@code sealpost ui} again prints
 * a new one.
 */
final class LocalAccess {
    /** The session cookie's name. */
    static final String COOKIE = "sealpost_ui";
    /** The request header that carries the CSRF token. */
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    /** A browser session: the cookie's value and the CSRF token pages send back. */
    record Session(String id, String csrf) {
        @Override
        public String toString() {
            return "Session[REDACTED]";
        }
    }

    private final IntSupplier port;
    private final AtomicReference<String> launchToken;
    private final AtomicReference<Session> session = new AtomicReference<>();

    /** @param port the port the server listens on, once it does (for the Host and Origin checks) */
    LocalAccess(IntSupplier port) {
        this.port = port;
        this.launchToken = new AtomicReference<>(random());
    }

    /** @return the token of the launch URL; null once it has been used */
    String launchToken() {
        return launchToken.get();
    }

    /** @return this server's origin, {@code http://127.0.0.1:PORT} */
    String origin() {
        return "http://127.0.0.1:" + port.getAsInt();
    }

    /**
     * Exchanges the launch token for a session: sets the cookie and redirects to {@code /}.
     *
     * @return false (after answering 403) if the token is wrong or was used already
     */
    boolean exchange(Context ctx, String token) {
        String expected = launchToken.get();
        if (token == null || expected == null || !equal(token, expected) || !launchToken.compareAndSet(expected, null)) {
            refuse(ctx, HttpStatus.FORBIDDEN, "this link was used already or is wrong: run sealpost ui again for a new one");
            return false;
        }
        Session s = new Session(random(), random());
        session.set(s);
        ctx.header(Header.SET_COOKIE, COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict");
        ctx.header(Header.LOCATION, "/");
        ctx.status(HttpStatus.SEE_OTHER);
        return true;
    }

    /**
     * Checks the Host of any request; for all but the token exchange, the session; for
     * changes, the origin and the CSRF token. Answers and returns null when one fails.
     *
     * @param exchange true for the launch URL, which has no session yet
     * @return the caller's session (null for the exchange, or if refused)
     */
    Session check(Context ctx, boolean exchange) {
        if (!hostAllowed(ctx.header(Header.HOST))) {
            refuse(ctx, HttpStatus.FORBIDDEN, "forbidden: this server answers only to " + origin());
            return null;
        }
        if (exchange) {
            return null;
        }
        Session s = session.get();
        String cookie = ctx.cookie(COOKIE);
        if (s == null || cookie == null || !equal(cookie, s.id())) {
            refuse(ctx, HttpStatus.UNAUTHORIZED, "no session: open the link sealpost ui printed");
            return null;
        }
        if (!SAFE_METHODS.contains(ctx.method().name())) {
            String origin = ctx.header(Header.ORIGIN);
            String site = ctx.header("Sec-Fetch-Site");
            if (origin == null || !(origin.equals(origin()) || origin.equals("http://localhost:" + port.getAsInt()))
                    || (site != null && !site.equals("same-origin"))) {
                refuse(ctx, HttpStatus.FORBIDDEN, "forbidden: a change must come from this UI's own page");
                return null;
            }
            String csrf = ctx.header(CSRF_HEADER);
            if (csrf == null || !equal(csrf, s.csrf())) {
                refuse(ctx, HttpStatus.FORBIDDEN, "forbidden: missing or wrong " + CSRF_HEADER);
                return null;
            }
        }
        return s;
    }

    private boolean hostAllowed(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        int p = port.getAsInt();
        return h.equals("127.0.0.1:" + p) || h.equals("localhost:" + p);
    }

    private static void refuse(Context ctx, HttpStatus status, String message) {
        ctx.status(status).json(new UiJson.Problem(message));
        ctx.skipRemainingHandlers();
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
