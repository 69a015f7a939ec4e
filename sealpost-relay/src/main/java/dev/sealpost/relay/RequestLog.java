package dev.sealpost.relay;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One access-log line per request, logger {@code dev.sealpost.relay.access} at INFO: method,
 * path template (never the concrete path, query, headers or body, so no names, tokens or
 * passwords), status and milliseconds. An event stream is logged when it ends. Requests Jetty
 * answers itself before any route runs (a request it cannot parse, a URI or headers too long)
 * are logged by {@link #jetty()}, with the path {@code (no route)}.
 */
final class RequestLog {
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.sealpost.relay.access");
    /** Request attribute: Javalin handles the request and logs it (set by {@link #mark}, read by {@link #jetty()}). */
    private static final String LOGGED = RequestLog.class.getName() + ".logged";
    /** A method as a well-formed request names it; anything else is not repeated in the log. */
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");
    private static final String NO_ROUTE = "(no route)";

    private RequestLog() {}

    /** A Javalin before-handler, run first: Javalin will log this request, so {@link #jetty()} must not. */
    static void mark(Context ctx) {
        ctx.req().setAttribute(LOGGED, Boolean.TRUE);
    }

    /** Javalin's request logger: every request a route or Javalin's own 404/405 answered. */
    static void log(Context ctx, Float millis) {
        if (ACCESS.isInfoEnabled()) {
            ACCESS.info("{} {} {} {}ms", ctx.req().getMethod(), template(ctx), ctx.statusCode(), Math.round(millis));
        }
    }

    /** @return Jetty's request log, for the answers no Javalin handler gave (Jetty's own errors) */
    static org.eclipse.jetty.server.RequestLog jetty() {
        return (Request request, Response response) -> {
            if (request.getAttribute(LOGGED) != null || !ACCESS.isInfoEnabled()) {
                return;
            }
            String method = request.getMethod();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
            ACCESS.info("{} {} {} {}ms", method != null && METHOD.matcher(method).matches() ? method : "-",
                    NO_ROUTE, response.getStatus(), millis);
        };
    }

    /** @return the matched route's path template, e.g. {@code /v1/messages/{id}}, or {@code (no route)} */
    static String template(Context ctx) {
        Endpoint e = ctx.endpoints().lastHttpEndpoint();
        return e == null || e.path.isEmpty() ? NO_ROUTE : e.path;
    }
}
