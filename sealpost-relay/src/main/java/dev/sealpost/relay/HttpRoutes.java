package dev.sealpost.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.Json;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.LoginRequest;
import dev.sealpost.protocol.MfaCode;
import dev.sealpost.protocol.PasswordChange;
import dev.sealpost.protocol.RegisterRequest;
import io.javalin.config.RoutesConfig;
import dev.sealpost.relay.store.UploadRecord;
import dev.sealpost.relay.store.UploadStore;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Enumeration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of {@link Api}, as thin handlers: authenticate, check the rate limit, call the
 * manager, return a record. Errors are exceptions, turned into statuses by {@link ErrorMapper}.
 *
 * <p>Upload and blob bodies are never held in memory: a tus {@code PATCH} body is read from the
 * servlet input stream by {@link Uploads}, and a blob is written from its file to the servlet
 * output stream through a {@value Uploads#BUFFER_BYTES}-byte buffer. Javalin's
 * {@code maxRequestSize} applies only to bodies read whole, i.e. JSON.
 */
final class HttpRoutes {
    /** Largest JSON request body, in bytes (a key bundle with two large RSA certificates fits easily). */
    static final int MAX_JSON_BYTES = 64 * 1024;
    /** Largest buffer a message download allocates, in bytes: a whole typical message, a bounded part of a large one. */
    static final int FETCH_BUFFER_BYTES = 64 * 1024;
    private static final String EVENT_STREAM = "text/event-stream";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String TUS_EXTENSIONS = "creation,termination";
    /** RFC 9110 §5.6.7 IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(HttpRoutes.class);

    private record Health(String status) {}

    private final AccountsManager accounts;
    private final MfaManager mfa;
    private final SessionManager sessions;
    private final KeyDirectory keys;
    private final Mailboxes mailboxes;
    private final Uploads uploads;
    private final EventHub events;
    private final RateLimiters limits;
    private final RelayMetrics metrics;
    private final ObjectMapper json = Json.mapper();

    HttpRoutes(AccountsManager accounts, MfaManager mfa, SessionManager sessions, KeyDirectory keys, Mailboxes mailboxes,
               Uploads uploads, EventHub events, RateLimiters limits, RelayMetrics metrics) {
        this.accounts = accounts;
        this.mfa = mfa;
        this.sessions = sessions;
        this.keys = keys;
        this.mailboxes = mailboxes;
        this.uploads = uploads;
        this.events = events;
        this.limits = limits;
        this.metrics = metrics;
    }

    void register(RoutesConfig routes) {
        routes.before(HttpRoutes::checkMethodOverride);
        routes.get(Api.HEALTH, ctx -> ctx.json(new Health("ok")));
        routes.post(Api.ACCOUNTS, this::createAccount);
        routes.post(Api.SESSIONS, this::login);
        routes.get(Api.SESSIONS, this::listSessions);
        routes.delete(Api.SESSIONS, this::revokeOtherSessions);
        routes.delete(Api.SESSION, this::revokeSession);
        routes.post(Api.PASSWORD, this::changePassword);
        routes.post(Api.MFA, this::beginMfa);
        routes.post(Api.MFA_CONFIRM, this::confirmMfa);
        routes.delete(Api.MFA, this::disableMfa);
        routes.put(Api.KEYS, this::publishKeys);
        routes.get(Api.KEYS_OF, this::fetchKeys);
        routes.post(Api.MESSAGES, this::send);
        routes.get(Api.MESSAGES, this::inbox);
        routes.get(Api.MESSAGE, this::fetch);
        routes.delete(Api.MESSAGE, this::acknowledge);
        routes.get(Api.MESSAGE_BLOB, this::fetchBlob);
        routes.head(Api.MESSAGE_BLOB, this::fetchBlob);
        routes.options(Api.UPLOADS, this::tusOptions);
        routes.post(Api.UPLOADS, this::createUpload);
        routes.head(Api.UPLOAD, this::uploadStatus);
        routes.patch(Api.UPLOAD, this::appendUpload);
        routes.post(Api.UPLOAD, this::overriddenUpload);
        routes.delete(Api.UPLOAD, this::terminateUpload);
        routes.get(Api.EVENTS, this::events);
    }

    private void createAccount(Context ctx) throws IOException {
        limits.acquire(RateLimit.REGISTRATION, ctx.ip());
        ctx.status(HttpStatus.CREATED).json(accounts.register(body(ctx, RegisterRequest.class)));
    }

    private void login(Context ctx) throws IOException {
        LoginRequest request = body(ctx, LoginRequest.class);
        String name = AccountName.isValid(request.name()) ? request.name() : "(invalid)";
        // Narrowest first, so that one address's flood is refused before it uses up the relay's total.
        limits.acquire(RateLimit.LOGIN_ADDRESS, ctx.ip());
        limits.acquire(RateLimit.LOGIN, name + "|" + ctx.ip());
        ctx.json(accounts.login(request, ctx.header(Header.USER_AGENT), ctx.ip(), () -> limits.acquire(RateLimit.LOGIN_GLOBAL, ""),
                () -> limits.acquire(RateLimit.MFA, request.name())));
    }

    private void listSessions(Context ctx) {
        ctx.json(sessions.list(caller(ctx)));
    }

    private void revokeOtherSessions(Context ctx) {
        sessions.revokeOthers(caller(ctx));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void revokeSession(Context ctx) {
        sessions.revoke(caller(ctx), ctx.pathParam("id"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void changePassword(Context ctx) throws IOException {
        SessionManager.Caller caller = caller(ctx);
        PasswordChange change = body(ctx, PasswordChange.class);
        limits.acquire(RateLimit.LOGIN_ADDRESS, ctx.ip());
        limits.acquire(RateLimit.LOGIN, caller.account() + "|" + ctx.ip());
        accounts.changePassword(caller, change, () -> limits.acquire(RateLimit.LOGIN_GLOBAL, ""));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void beginMfa(Context ctx) {
        ctx.json(mfa.begin(caller(ctx).account()));
    }

    private void confirmMfa(Context ctx) throws IOException {
        String account = caller(ctx).account();
        MfaCode code = body(ctx, MfaCode.class);
        limits.acquire(RateLimit.MFA, account);
        ctx.json(mfa.confirm(account, code.code()));
    }

    private void disableMfa(Context ctx) throws IOException {
        String account = caller(ctx).account();
        MfaCode code = body(ctx, MfaCode.class);
        limits.acquire(RateLimit.MFA, account);
        mfa.disable(account, code.code());
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void publishKeys(Context ctx) throws IOException {
        SessionManager.Caller caller = caller(ctx);
        keys.publish(caller.account(), body(ctx, KeyBundle.class));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void fetchKeys(Context ctx) {
        caller(ctx);
        ctx.json(keys.lookup(ctx.pathParam("name")));
    }

    private void send(Context ctx) throws IOException {
        SessionManager.Caller caller = caller(ctx);
        limits.acquire(RateLimit.SEND, caller.account());
        ctx.status(HttpStatus.CREATED).json(mailboxes.send(caller.account(), ctx.queryParams(Api.TO_PARAM),
                ctx.queryParams(Api.BLOB_PARAM), ctx.req().getContentLengthLong(), ctx::bodyInputStream));
    }

    private void inbox(Context ctx) {
        ctx.json(mailboxes.inbox(caller(ctx).account()));
    }

    /**
     * Writes the sealed message straight to the servlet output stream, as {@link #fetchBlob}
     * does: through Javalin's result stream a 4 KiB message took a compression check, an 8 KiB
     * copy buffer and a second write (issue 14, docs/BENCHMARKS.md). A message of up to
     * {@value #FETCH_BUFFER_BYTES} bytes goes out in one write, which with the Content-Length
     * lets Jetty send headers, body and end of response together; a larger one in writes of that size.
     */
    private void fetch(Context ctx) throws IOException {
        Mailboxes.Content content = mailboxes.open(caller(ctx).account(), ctx.pathParam("id"));
        try (InputStream in = content.bytes()) {
            ctx.contentType(Api.SEALED_MEDIA_TYPE);
            ctx.header(Header.CONTENT_LENGTH, Long.toString(content.size()));
            OutputStream out = ctx.res().getOutputStream();
            byte[] buffer = new byte[(int) Math.min(FETCH_BUFFER_BYTES, Math.max(1, content.size()))];
            long left = content.size();
            while (left > 0) {
                int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
                if (n == 0) {
                    throw new IOException("sealed message ended " + left + " bytes before its size");
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    LOG.debug("message download ended by the client with {} bytes left: {}", left, e.toString());
                    return;
                }
                left -= n;
            }
        }
    }

    private void acknowledge(Context ctx) {
        mailboxes.acknowledge(caller(ctx).account(), ctx.pathParam("id"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /**
     * {@code GET} (and {@code HEAD}) of a message's blob: 200 with everything, or 206 with one
     * {@code Range}, or 416; see {@link ByteRange} for which ranges are honoured.
     */
    private void fetchBlob(Context ctx) throws IOException {
        Mailboxes.Blob blob = mailboxes.openBlob(caller(ctx).account(), ctx.pathParam("id"), ctx.pathParam("blob"));
        try (UploadStore.StoredBytes bytes = blob.bytes()) {
            ByteRange range = ByteRange.parse(ctx.header(Header.RANGE), blob.size());
            ctx.header(Header.ACCEPT_RANGES, "bytes");
            ctx.header(Header.CACHE_CONTROL, "no-store");
            ctx.contentType(OCTET_STREAM);
            long first = 0;
            long length = blob.size();
            if (range != null) {
                first = range.first();
                length = range.length();
                ctx.status(HttpStatus.PARTIAL_CONTENT);
                ctx.header(Header.CONTENT_RANGE, range.contentRange());
            }
            ctx.header(Header.CONTENT_LENGTH, Long.toString(length));
            if (ctx.method() != HandlerType.HEAD) {
                if (!bytes.copyTo(first, length, ctx.res().getOutputStream())) {
                    LOG.debug("blob download ended by the client");
                }
            }
        }
    }

    /** tus discovery: versions, extensions, largest upload. */
    private void tusOptions(Context ctx) {
        caller(ctx);
        ctx.header(Api.TUS_RESUMABLE, Api.TUS_VERSION);
        ctx.header("Tus-Version", Api.TUS_VERSION);
        ctx.header("Tus-Extension", TUS_EXTENSIONS);
        ctx.header("Tus-Max-Size", Long.toString(uploads.maxBytes()));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void createUpload(Context ctx) throws IOException {
        SessionManager.Caller caller = tus(ctx);
        limits.acquire(RateLimit.UPLOAD, caller.account());
        UploadRecord upload = uploads.create(caller.account(), ctx.header(Api.UPLOAD_LENGTH));
        ctx.header(Header.LOCATION, Api.UPLOADS + "/" + upload.id());
        ctx.header(Api.UPLOAD_EXPIRES, HTTP_DATE.format(upload.expiresAt()));
        ctx.status(HttpStatus.CREATED);
    }

    private void uploadStatus(Context ctx) {
        UploadRecord upload = uploads.status(tus(ctx).account(), ctx.pathParam("id"));
        ctx.header(Header.CACHE_CONTROL, "no-store");
        ctx.header(Api.UPLOAD_OFFSET, Long.toString(upload.offset()));
        ctx.header(Api.UPLOAD_LENGTH, Long.toString(upload.length()));
        if (upload.messageId() == null) {
            ctx.header(Api.UPLOAD_EXPIRES, HTTP_DATE.format(upload.expiresAt()));
        }
        ctx.status(HttpStatus.OK);
    }

    private void appendUpload(Context ctx) throws IOException {
        SessionManager.Caller caller = tus(ctx);
        long offset;
        metrics.patchStarted();
        try {
            offset = uploads.append(caller.account(), ctx.pathParam("id"), ctx.header(Header.CONTENT_TYPE),
                    ctx.header(Api.UPLOAD_OFFSET), ctx.req().getContentLengthLong(), () -> ctx.req().getInputStream());
        } finally {
            metrics.patchEnded();
        }
        ctx.header(Api.UPLOAD_OFFSET, Long.toString(offset));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /**
     * tus 1.0.0 core: a client that cannot send PATCH (Java's HttpURLConnection, some proxies)
     * sends POST with {@code X-HTTP-Method-Override: PATCH}, which the server must honour.
     */
    private void overriddenUpload(Context ctx) throws IOException {
        String method = ctx.header(Api.METHOD_OVERRIDE);
        if (method == null || !method.strip().equalsIgnoreCase("PATCH")) {
            throw new ApiError.BadRequest("POST to an upload needs " + Api.METHOD_OVERRIDE + ": PATCH");
        }
        appendUpload(ctx);
    }

    /**
     * Javalin routes by {@code X-HTTP-Method-Override} whatever the request's own method (a GET
     * would become a DELETE). The relay honours it only where tus needs it: one header, on a
     * POST, saying {@code PATCH}.
     *
     * @throws ApiError.BadRequest for any other use of the header
     */
    static void checkMethodOverride(Context ctx) {
        Enumeration<String> values = ctx.req().getHeaders(Api.METHOD_OVERRIDE);
        if (values == null || !values.hasMoreElements()) {
            return;
        }
        String value = values.nextElement();
        if (values.hasMoreElements() || !"POST".equals(ctx.req().getMethod()) || !"PATCH".equals(value)) {
            throw new ApiError.BadRequest(Api.METHOD_OVERRIDE + " is only honoured on POST, as PATCH");
        }
    }

    private void terminateUpload(Context ctx) {
        uploads.terminate(tus(ctx).account(), ctx.pathParam("id"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /**
     * Authenticates a tus request, answers with {@code Tus-Resumable} (errors included) and
     * checks the client speaks the same version.
     *
     * @throws ApiError.PreconditionFailed without {@code Tus-Resumable: 1.0.0}
     */
    private SessionManager.Caller tus(Context ctx) {
        SessionManager.Caller caller = caller(ctx);
        ctx.header(Api.TUS_RESUMABLE, Api.TUS_VERSION);
        String version = ctx.header(Api.TUS_RESUMABLE);
        if (version == null || !version.strip().equals(Api.TUS_VERSION)) {
            throw new ApiError.PreconditionFailed("this relay speaks tus " + Api.TUS_VERSION
                    + ": send the header " + Api.TUS_RESUMABLE + ": " + Api.TUS_VERSION);
        }
        return caller;
    }

    /**
     * Copies {@code length} bytes from {@code file} at {@code first} to the response. A client
     * that goes away ends the copy quietly: the response is committed, there is nobody to tell.
     */
    private void events(Context ctx) {
        SessionManager.Caller caller = caller(ctx);
        String accept = ctx.header(Header.ACCEPT);
        if (accept == null || !accept.contains(EVENT_STREAM)) {
            throw new ApiError.BadRequest("GET " + Api.EVENTS + " needs the header Accept: " + EVENT_STREAM);
        }
        EventHub.Subscription subscription = events.subscribe(caller);
        new SseHandler(0, client -> events.stream(client, subscription)).handle(ctx);
    }

    private SessionManager.Caller caller(Context ctx) {
        return sessions.authenticate(ctx.header(Header.AUTHORIZATION));
    }

    /** Reads a JSON body of at most {@link #MAX_JSON_BYTES}. */
    private <T> T body(Context ctx, Class<T> type) throws IOException {
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(MAX_JSON_BYTES + 1);
        }
        if (bytes.length > MAX_JSON_BYTES) {
            throw new ApiError.TooLarge("request too large: limit " + MAX_JSON_BYTES + " bytes");
        }
        T value;
        try {
            value = json.readValue(bytes, type);
        } catch (IOException e) {
            throw new ApiError.BadRequest("malformed JSON body: expected " + type.getSimpleName());
        }
        if (value == null) {
            throw new ApiError.BadRequest("missing JSON body: expected " + type.getSimpleName());
        }
        return value;
    }
}
