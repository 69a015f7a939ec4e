package dev.sealpost.relay;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Jetty's request log: every request, once, when it completes (an event stream when it ends),
 * whether a route answered it, Javalin (404, 405) or Jetty itself before any route ran (a request
 * it cannot parse, a URI or headers too long). Each goes to the {@link RelayMetrics} and, at INFO,
 * to the logger {@code dev.sealpost.relay.access} as one event with SLF4J key-value pairs:
 *
 * <ul>
 *   <li>{@code method}: as sent if it looks like one ({@code [A-Z]{1,16}}), else {@code -};</li>
 *   <li>{@code route}: the path template, e.g. {@code /v1/messages/{id}}, or {@code (no route)};</li>
 *   <li>{@code status}; {@code ms}: from arrival to the last byte of the answer, to the microsecond;</li>
 *   <li>{@code in}, {@code out}: request and response body bytes;</li>
 *   <li>{@code id}: the request id, also sent as {@value #REQUEST_ID} (random, 16 hex digits);</li>
 *   <li>{@code client}: the client's IP address, only if {@link RelayConfig.Observability#logClientAddresses()}.</li>
 * </ul>
 *
 * Never the concrete path, the query, a header or a body: so no account name, message or upload
 * id, token or password. Every value comes from a closed alphabet (no space, quote or line
 * break but the space in {@code (no route)}), so a pattern such as logback's {@code %kvp} writes a
 * logfmt line that needs no escaping, and logback's {@code JsonEncoder} a JSON line.
 */
final class RequestLog implements org.eclipse.jetty.server.RequestLog {
    /** The response header naming a request's id; the same id is in its access-log line. */
    static final String REQUEST_ID = "X-Request-Id";
    static final String NO_ROUTE = "(no route)";
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.sealpost.relay.access");
    /** Request attribute: the route template, set by Javalin's request logger ({@link #route}). */
    private static final String ROUTE = RequestLog.class.getName() + ".route";
    /** Request attribute: the request id, set when the request begins ({@link #begin}). */
    private static final String ID = RequestLog.class.getName() + ".id";
    /** A method as a well-formed request names it; anything else is not repeated in the log. */
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");
    private static final HexFormat HEX = HexFormat.of();

    private final RelayMetrics metrics;
    private final boolean clientAddresses;

    /**
     * @param metrics         where each request is counted and timed ({@link RelayMetrics#OFF}: nowhere)
     * @param clientAddresses whether each line names the client's IP address
     */
    RequestLog(RelayMetrics metrics, boolean clientAddresses) {
        this.metrics = metrics;
        this.clientAddresses = clientAddresses;
    }

    /** A Javalin before-handler, run first: gives the request its id, in an attribute and the {@value #REQUEST_ID} header. */
    static void begin(Context ctx) {
        String id = newId();
        ctx.req().setAttribute(ID, id);
        ctx.header(REQUEST_ID, id);
    }

    /** For Jetty's own error answers: the same as {@link #begin}, on Jetty's request and response. */
    static void begin(Request request, Response response) {
        if (request.getAttribute(ID) == null) {
            String id = newId();
            request.setAttribute(ID, id);
            response.getHeaders().put(REQUEST_ID, id);
        }
    }

    /** Javalin's request logger, run when a route or Javalin itself has answered: notes the route template. */
    static void route(Context ctx, Float millis) {
        ctx.req().setAttribute(ROUTE, template(ctx));
    }

    @Override
    public void log(Request request, Response response) {
        String route = request.getAttribute(ROUTE) instanceof String r ? r : NO_ROUTE;
        String method = request.getMethod();
        int status = response.getStatus();
        long nanos = NanoTime.since(request.getBeginNanoTime());
        long in = Request.getContentBytesRead(request);
        long out = Response.getContentBytesWritten(response);
        metrics.request(route, method, status, nanos, in, out);
        if (!ACCESS.isInfoEnabled()) {
            return;
        }
        String id = request.getAttribute(ID) instanceof String s ? s : newId();
        LoggingEventBuilder line = ACCESS.atInfo()
                .addKeyValue("method", method != null && METHOD.matcher(method).matches() ? method : "-")
                .addKeyValue("route", route)
                .addKeyValue("status", status)
                .addKeyValue("ms", Math.round(nanos / 1_000.0) / 1_000.0)
                .addKeyValue("in", in)
                .addKeyValue("out", out)
                .addKeyValue("id", id);
        if (clientAddresses) {
            line = line.addKeyValue("client", Request.getRemoteAddr(request));
        }
        line.log("request");
    }

    /** @return the matched route's path template, e.g. {@code /v1/messages/{id}}, or {@code (no route)} */
    static String template(Context ctx) {
        Endpoint e = ctx.endpoints().lastHttpEndpoint();
        return e == null || e.path.isEmpty() ? NO_ROUTE : e.path;
    }

    /** @return 16 random hex digits: unique enough to find one request among a relay's, and no secret */
    private static String newId() {
        return HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
