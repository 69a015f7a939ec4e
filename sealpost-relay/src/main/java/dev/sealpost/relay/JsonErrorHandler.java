package dev.sealpost.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sealpost.protocol.ErrorResponse;
import dev.sealpost.protocol.Json;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers, given before any route runs (a request line or header it cannot
 * parse: 400, a URI over its limit: 414, headers over their limit: 431, ...), as the relay's
 * other errors: an {@link ErrorResponse} body, {@code Content-Type: application/json}, and the
 * {@link SecurityHeaders}. The message is fixed per status and never repeats the request.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final String JSON = "application/json";

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
        HttpFields.Mutable headers = response.getHeaders();
        RequestLog.begin(request, response);
        headers.put(HttpHeader.CONTENT_TYPE, JSON);
        SecurityHeaders.addTo(headers);
        response.write(true, body(status), callback);
        return true;
    }

    /** Errors found before there is a request to hand to {@link #handle} (used by Jetty's HTTP/1.1 connection). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JSON);
        SecurityHeaders.addTo(fields);
        return body(status);
    }

    /** @return a fixed message for {@code status}, e.g. "request headers too large" for 431 */
    static String message(int status) {
        return switch (status) {
            case 400 -> "malformed request";
            case 414 -> "request URI too long";
            case 431 -> "request headers too large";
            case 500 -> "internal error";
            default -> {
                String reason = HttpStatus.getMessage(status);
                yield reason == null ? "error " + status : reason.toLowerCase(Locale.ROOT);
            }
        };
    }

    private static ByteBuffer body(int status) {
        try {
            return ByteBuffer.wrap(Json.mapper().writeValueAsBytes(new ErrorResponse(message(status))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error message as JSON", e);
        }
    }
}
