package dev.sealpost.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.Json;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.LoginRequest;
import dev.sealpost.protocol.RegisterRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseHandler;
import java.io.IOException;
import java.io.InputStream;

/**
 * The HTTP API of {@link Api}, as thin handlers: authenticate, check the rate limit, call the
 * manager, return a record. Errors are exceptions, turned into statuses by {@link ErrorMapper}.
 */
final class HttpRoutes {
    /** Largest JSON request body, in bytes (a key bundle with two large RSA certificates fits easily). */
    static final int MAX_JSON_BYTES = 64 * 1024;
    private static final String EVENT_STREAM = "text/event-stream";

    private record Health(String status) {}

    private final AccountsManager accounts;
    private final SessionManager sessions;
    private final KeyDirectory keys;
    private final Mailbox mailbox;
    private final EventHub events;
    private final RateLimiters limits;
    private final ObjectMapper json = Json.mapper();

    HttpRoutes(AccountsManager accounts, SessionManager sessions, KeyDirectory keys, Mailbox mailbox,
               EventHub events, RateLimiters limits) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.keys = keys;
        this.mailbox = mailbox;
        this.events = events;
        this.limits = limits;
    }

    void register(RoutesConfig routes) {
        routes.get(Api.HEALTH, ctx -> ctx.json(new Health("ok")));
        routes.post(Api.ACCOUNTS, this::createAccount);
        routes.post(Api.SESSIONS, this::login);
        routes.put(Api.KEYS, this::publishKeys);
        routes.get(Api.KEYS_OF, this::fetchKeys);
        routes.post(Api.MESSAGES, this::send);
        routes.get(Api.MESSAGES, this::inbox);
        routes.get(Api.MESSAGE, this::fetch);
        routes.delete(Api.MESSAGE, this::acknowledge);
        routes.get(Api.EVENTS, this::events);
    }

    private void createAccount(Context ctx) throws IOException {
        limits.acquire(RateLimit.REGISTRATION, ctx.ip());
        ctx.status(HttpStatus.CREATED).json(accounts.register(body(ctx, RegisterRequest.class)));
    }

    private void login(Context ctx) throws IOException {
        LoginRequest request = body(ctx, LoginRequest.class);
        String name = AccountName.isValid(request.name()) ? request.name() : "(invalid)";
        limits.acquire(RateLimit.LOGIN, name + "|" + ctx.ip());
        ctx.json(accounts.login(request));
    }

    private void publishKeys(Context ctx) throws IOException {
        SessionManager.Session caller = caller(ctx);
        keys.publish(caller.account(), body(ctx, KeyBundle.class));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void fetchKeys(Context ctx) {
        caller(ctx);
        ctx.json(keys.lookup(ctx.pathParam("name")));
    }

    private void send(Context ctx) throws IOException {
        SessionManager.Session caller = caller(ctx);
        limits.acquire(RateLimit.SEND, caller.account());
        ctx.status(HttpStatus.CREATED).json(mailbox.send(caller.account(), ctx.queryParams(Api.TO_PARAM),
                ctx.req().getContentLengthLong(), ctx::bodyInputStream));
    }

    private void inbox(Context ctx) {
        ctx.json(mailbox.inbox(caller(ctx).account()));
    }

    private void fetch(Context ctx) throws IOException {
        Mailbox.Content content = mailbox.open(caller(ctx).account(), ctx.pathParam("id"));
        ctx.contentType(Api.SEALED_MEDIA_TYPE);
        ctx.header(Header.CONTENT_LENGTH, Long.toString(content.size()));
        ctx.result(content.bytes()); // Javalin streams and closes it
    }

    private void acknowledge(Context ctx) {
        mailbox.acknowledge(caller(ctx).account(), ctx.pathParam("id"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void events(Context ctx) {
        SessionManager.Session caller = caller(ctx);
        String accept = ctx.header(Header.ACCEPT);
        if (accept == null || !accept.contains(EVENT_STREAM)) {
            throw new RelayException.BadRequest("GET " + Api.EVENTS + " needs the header Accept: " + EVENT_STREAM);
        }
        EventHub.Subscription subscription = events.subscribe(caller);
        new SseHandler(0, client -> events.stream(client, subscription)).handle(ctx);
    }

    private SessionManager.Session caller(Context ctx) {
        return sessions.authenticate(ctx.header(Header.AUTHORIZATION));
    }

    /** Reads a JSON body of at most {@link #MAX_JSON_BYTES}. */
    private <T> T body(Context ctx, Class<T> type) throws IOException {
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(MAX_JSON_BYTES + 1);
        }
        if (bytes.length > MAX_JSON_BYTES) {
            throw new RelayException.TooLarge("request too large: limit " + MAX_JSON_BYTES + " bytes");
        }
        T value;
        try {
            value = json.readValue(bytes, type);
        } catch (IOException e) {
            throw new RelayException.BadRequest("malformed JSON body: expected " + type.getSimpleName());
        }
        if (value == null) {
            throw new RelayException.BadRequest("missing JSON body: expected " + type.getSimpleName());
        }
        return value;
    }
}
