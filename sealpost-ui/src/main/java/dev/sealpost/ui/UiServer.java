package dev.sealpost.ui;

import dev.sealpost.client.SealpostHome;
import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.crypto.CryptoWarmup;
import dev.sealpost.crypto.IdentityFiles;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.crypto.WrongPassphraseException;
import dev.sealpost.protocol.Json;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseHandler;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sealpost ui}: the user's own client with a browser as its screen. An HTTP server on
 * 127.0.0.1 only (never another address), serving its pages from inside the jar and a JSON API
 * under {@code /api/}, for the identity in one {@link SealpostHome}. The keys are unlocked in
 * this process's memory ({@link Keyring}); the relay sees what the CLI sends, nothing more.
 * Access is limited by {@link LocalAccess}: Host allow-list, one-time launch token, session
 * cookie, Origin and CSRF checks on every change.
 *
 * <pre>{@code
 * try (UiServer ui = UiServer.start(home, 0, Duration.ofMinutes(15), Path.of("received"), Clock.systemUTC())) {
 *     System.out.println("sealpost ui: " + ui.launchUri());
 * }
 * }</pre>
 */
public final class UiServer implements AutoCloseable {
    /** Default time the keys stay unlocked without a use: 15 minutes. */
    public static final Duration DEFAULT_IDLE_LOCK = Duration.ofMinutes(15);
    private static final Logger LOG = LoggerFactory.getLogger(UiServer.class);
    private static final String LOOPBACK = "127.0.0.1";
    /**
     * Every answer's headers: the page runs only its own scripts and styles, talks only to this
     * server, shows images only from here (and from blobs it made), and cannot be framed.
     */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
                    + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cross-Origin-Resource-Policy", "same-origin");
    /** The pages, by path: file name in the jar and media type. */
    private static final Map<String, String[]> ASSETS = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
            "/app.css", new String[] {"app.css", "text/css; charset=utf-8"},
            "/icon.svg", new String[] {"icon.svg", "image/svg+xml"});

    private final Javalin app;
    private final LocalAccess access;
    private final Keyring keys;
    private final PublicIdentity me;
    private final ScheduledExecutorService timer;
    private final UiEvents events;
    private final InboxPages inbox;

    private UiServer(Javalin app, LocalAccess access, Keyring keys, PublicIdentity me, ScheduledExecutorService timer,
                     UiEvents events, InboxPages inbox) {
        this.events = events;
        this.inbox = inbox;
        this.app = app;
        this.access = access;
        this.keys = keys;
        this.me = me;
        this.timer = timer;
    }

    /**
     * Starts the server on 127.0.0.1.
     *
     * @param home     the user's sealpost folder, with an identity
     * @param port     TCP port, or 0 for a free one
     * @param idleLock how long unlocked keys stay unlocked without a use; positive
     * @param saveTo   where the Inbox saves messages in this run ({@code --out}); null for the folder
     *                 chosen in the UI's settings, by default {@code ./received} (as {@code receive})
     * @return the running server; {@link #launchUri()} is the link to open
     * @throws IOException if there is no identity in {@code home} or the port is taken
     */
    public static UiServer start(SealpostHome home, int port, Duration idleLock, Path saveTo, Clock clock) throws IOException {
        PublicIdentity me = IdentityFiles.readPublic(home.identityDir());
        Keyring keys = new Keyring(home.identityDir(), idleLock, clock);
        UiEvents events = new UiEvents();
        RelaySession relays = new RelaySession(home, clock);
        InboxPages inbox = new InboxPages(home, keys, events, clock, UiSettings.load(home, saveTo), relays);
        ComposePages compose = new ComposePages(home, keys, events, clock, relays);
        Javalin[] started = new Javalin[1];
        LocalAccess access = new LocalAccess(() -> started[0].port());
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), true));
            cfg.http.maxRequestSize = 64 * 1024;
            cfg.jetty.modifyServer(server -> server.setStopTimeout(2_000));
            routes(cfg.routes, access, keys, me, new AccountPages(home, me, clock), compose, inbox, events);
        });
        try {
            app.start(LOOPBACK, port);
        } catch (RuntimeException e) {
            throw new IOException("cannot listen on " + LOOPBACK + ":" + port + ": " + e.getMessage(), e);
        }
        started[0] = app;
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .daemon().name("sealpost-ui-lock").unstarted(r));
        timer.scheduleWithFixedDelay(keys::lockIfIdle, 5, 5, TimeUnit.SECONDS);
        // The first message opened should not pay for an uncompiled AES-GCM (see CryptoWarmup).
        Thread.ofPlatform().daemon().name("sealpost-ui-warmup").priority(Thread.MIN_PRIORITY).start(CryptoWarmup::aesGcm);
        return new UiServer(app, access, keys, me, timer, events, inbox);
    }

    /** Unlocks the keys at start, with a passphrase from {@code SEALPOST_PASSPHRASE}; clears it. */
    public void unlock(char[] passphrase) throws IOException, WrongPassphraseException {
        keys.unlockWith(passphrase);
    }

    /** @return the TCP port it listens on */
    public int port() {
        return app.port();
    }

    /** @return {@code http://127.0.0.1:PORT/?token=...}: opens the UI once, in one browser */
    public URI launchUri() {
        String token = access.launchToken();
        return URI.create(access.origin() + "/" + (token == null ? "" : "?token=" + token));
    }

    /** @return the identity the UI runs for */
    public PublicIdentity identity() {
        return me;
    }

    private static void routes(RoutesConfig routes, LocalAccess access, Keyring keys, PublicIdentity me, AccountPages account,
                               ComposePages compose, InboxPages inbox, UiEvents events) {
        routes.before(ctx -> {
            SECURITY_HEADERS.forEach(ctx::header);
            boolean exchange = ctx.path().equals("/") && ctx.queryParam("token") != null;
            LocalAccess.Session s = access.check(ctx, exchange);
            if (s != null) {
                ctx.attribute("session", s);
            }
        });
        routes.get("/", ctx -> {
            String token = ctx.queryParam("token");
            if (token != null) {
                access.exchange(ctx, token);
            } else {
                asset(ctx, "/");
            }
        });
        routes.get("/app.js", ctx -> asset(ctx, "/app.js"));
        routes.get("/app.css", ctx -> asset(ctx, "/app.css"));
        routes.get("/icon.svg", ctx -> asset(ctx, "/icon.svg"));
        routes.get("/api/session", ctx -> ctx.json(new UiJson.SessionInfo(
                ctx.<LocalAccess.Session>attribute("session").csrf())));
        routes.get("/api/state", ctx -> ctx.json(new UiJson.State(me.name(),
                Fingerprint.of(me.signingCertificate()).toString(), keys.unlocked(), keys.idleLock().toSeconds())));
        routes.post("/api/unlock", ctx -> {
            UiJson.UnlockRequest request = ctx.bodyAsClass(UiJson.UnlockRequest.class);
            if (request.passphrase() == null || request.passphrase().isEmpty()) {
                problem(ctx, HttpStatus.BAD_REQUEST, "enter your passphrase");
                return;
            }
            char[] passphrase = request.passphrase().toCharArray();
            try {
                keys.unlockWith(passphrase);
                ctx.status(HttpStatus.NO_CONTENT);
            } catch (WrongPassphraseException e) {
                problem(ctx, HttpStatus.UNAUTHORIZED, "wrong passphrase");
            }
        });
        routes.get("/api/account", account::account);
        routes.post("/api/login", account::login);
        routes.get("/api/contacts", account::contacts);
        routes.get("/api/fingerprint.svg", account::fingerprintQr);
        routes.post("/api/contacts/{name}/trust", account::trust);
        routes.post("/api/drafts", compose::create);
        routes.put("/api/drafts/{id}/files", compose::addFile);
        routes.get("/api/drafts/{id}/files/{index}", compose::preview);
        routes.delete("/api/drafts/{id}/files/{index}", compose::removeFile);
        routes.post("/api/drafts/{id}/send", compose::send);
        routes.post("/api/jobs/{id}/cancel", compose::cancel);
        routes.get("/api/inbox", inbox::list);
        routes.get("/api/messages/{id}/attachments/{index}", inbox::attachment);
        routes.post("/api/messages/{id}/receive", inbox::receive);
        routes.post("/api/messages/{id}/files/{index}/save", inbox::saveOne);
        routes.get("/api/settings", inbox::settings);
        routes.post("/api/settings", inbox::updateSettings);
        routes.get("/api/events", ctx -> new SseHandler(0, events::stream).handle(ctx));
        routes.post("/api/lock", ctx -> {
            keys.lock();
            ctx.status(HttpStatus.NO_CONTENT);
        });
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("internal error in {} {}", ctx.method(), ctx.path(), e);
            problem(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
        });
    }

    private static void asset(Context ctx, String path) throws IOException {
        String[] asset = ASSETS.get(path);
        try (InputStream in = UiServer.class.getResourceAsStream("static/" + asset[0])) {
            if (in == null) {
                throw new IOException("the jar lacks its page " + asset[0]);
            }
            ctx.contentType(asset[1]).result(in.readAllBytes());
        }
    }

    private static void problem(Context ctx, HttpStatus status, String message) {
        ctx.status(status).json(new UiJson.Problem(message));
    }

    /** Stops the server and forgets the unlocked keys. */
    @Override
    public void close() {
        keys.lock();
        timer.shutdownNow();
        events.close();
        inbox.close();
        app.stop();
    }
}
