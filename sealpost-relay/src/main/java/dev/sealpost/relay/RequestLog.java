package dev.sealpost.relay;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One access-log line per request, logger {@code dev.sealpost.relay.access} at INFO: method,
 * path template (never the concrete path, query, headers or body, so no names, tokens or
 * passwords), status and milliseconds. An event stream is logged when it ends.
 */
final class RequestLog {
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.sealpost.relay.access");

    private RequestLog() {}

    static void log(Context ctx, Float millis) {
        if (ACCESS.isInfoEnabled()) {
            ACCESS.info("{} {} {} {}ms", ctx.method(), template(ctx), ctx.statusCode(), Math.round(millis));
        }
    }

    /** @return the matched route's path template, e.g. {@code /v1/messages/{id}}, or {@code (no route)} */
    static String template(Context ctx) {
        Endpoint e = ctx.endpoints().lastHttpEndpoint();
        return e == null || e.path.isEmpty() ? "(no route)" : e.path;
    }
}
