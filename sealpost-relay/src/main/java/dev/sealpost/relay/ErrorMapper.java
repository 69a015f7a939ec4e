package dev.sealpost.relay;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.ErrorResponse;
import dev.sealpost.relay.store.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP answers: an {@link ErrorResponse} body with the
 * status of each {@link ApiError} kind, {@code Retry-After} (seconds) on a rate-limit 429 and on 503,
 * {@code WWW-Authenticate} (RFC 6750 §3) on 401, {@code Upload-Offset} on a tus offset 409,
 * {@code Tus-Version} on 412 and {@code Content-Range: bytes *}{@code /TOTAL} on 416. A database
 * whose disk is full ({@link StoreException#diskFull()}) gets 507 with {@code Retry-After}.
 * Anything unexpected is logged and answered 500 "internal error", without details.
 */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    private static final String REALM = "Bearer realm=\"sealpost\"";

    private ErrorMapper() {}

    static void register(RoutesConfig routes) {
        routes.exception(ApiError.class, (e, ctx) -> refuse(e, ctx));
        routes.exception(HttpResponseException.class, (e, ctx) -> // Javalin's own: unknown path, 405
                answer(ctx, e.getStatus(), e.getStatus() == 404 ? "no such endpoint" : e.getMessage()));
        routes.exception(org.eclipse.jetty.http.BadMessageException.class, (e, ctx) -> // Jetty's, on a body: 408 too slow, 400 malformed
                answer(ctx, e.getCode(), e.getReason() == null ? "bad request" : e.getReason()));
        routes.exception(StoreException.class, (e, ctx) -> {
            if (e.diskFull()) { // goes away by itself once space returns: say when to retry
                LOG.error("the database's disk is full in {} {}: {}", ctx.method(), RequestLog.template(ctx), e.getMessage());
                refuse(new ApiError.InsufficientStorage("the relay is short of disk space; retry later"), ctx);
            } else {
                LOG.error("internal error in {} {}", ctx.method(), RequestLog.template(ctx), e);
                answer(ctx, 500, "internal error");
            }
        });
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("internal error in {} {}", ctx.method(), RequestLog.template(ctx), e);
            answer(ctx, 500, "internal error");
        });
    }

    /** @return the HTTP status for a refusal */
    static int status(ApiError e) {
        return switch (e) {
            case ApiError.BadRequest b -> 400;
            case ApiError.Unauthorized u -> 401;
            case ApiError.Forbidden f -> 403;
            case ApiError.NotFound n -> 404;
            case ApiError.Conflict c -> 409;
            case ApiError.OffsetMismatch o -> 409;
            case ApiError.PreconditionFailed p -> 412;
            case ApiError.TooLarge t -> 413;
            case ApiError.UnsupportedMediaType u -> 415;
            case ApiError.RangeNotSatisfiable r -> 416;
            case ApiError.LimitReached l -> 429;
            case ApiError.RateLimited r -> 429;
            case ApiError.InsufficientStorage i -> 507;
            case ApiError.Busy b -> 503;
        };
    }

    private static void refuse(ApiError e, Context ctx) {
        switch (e) {
            case ApiError.RateLimited r -> ctx.header(Header.RETRY_AFTER, Long.toString(r.retryAfterSeconds()));
            case ApiError.InsufficientStorage i -> ctx.header(Header.RETRY_AFTER, Long.toString(ApiError.InsufficientStorage.RETRY_AFTER_SECONDS));
            case ApiError.Busy b -> ctx.header(Header.RETRY_AFTER, Long.toString(b.retryAfterSeconds()));
            case ApiError.Unauthorized u -> ctx.header(Header.WWW_AUTHENTICATE,
                    u.invalidToken() ? REALM + ", error=\"invalid_token\"" : REALM);
            case ApiError.OffsetMismatch o -> ctx.header(Api.UPLOAD_OFFSET, Long.toString(o.offset()));
            case ApiError.PreconditionFailed p -> ctx.header("Tus-Version", Api.TUS_VERSION);
            case ApiError.RangeNotSatisfiable r -> ctx.header(Header.CONTENT_RANGE, "bytes */" + r.total());
            default -> { }
        }
        answer(ctx, status(e), e.getMessage());
    }

    private static void answer(Context ctx, int status, String message) {
        ctx.status(status).json(new ErrorResponse(message));
    }
}
