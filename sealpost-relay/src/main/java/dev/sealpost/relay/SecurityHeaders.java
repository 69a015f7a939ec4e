package dev.sealpost.relay;

import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * The headers on every answer of the relay, added before any handler runs (a handler may
 * replace one, as the event stream does with {@code Cache-Control: no-cache}) and by
 * {@link JsonErrorHandler} on Jetty's own errors. The relay speaks HTTPS only and serves JSON
 * and ciphertext, never a page: browsers are told to keep to HTTPS for a year (RFC 6797), not
 * to guess content types, send no referrer, frame nothing and run nothing, and no one should
 * store an answer.
 */
final class SecurityHeaders implements HttpConfiguration.Customizer {
    static final List<HttpField> FIELDS = List.of(
            new PreEncodedHttpField("Strict-Transport-Security", "max-age=31536000"),
            new PreEncodedHttpField("X-Content-Type-Options", "nosniff"),
            new PreEncodedHttpField("Cache-Control", "no-store"),
            new PreEncodedHttpField("Referrer-Policy", "no-referrer"),
            new PreEncodedHttpField("X-Frame-Options", "DENY"),
            new PreEncodedHttpField("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"));

    /** Sets every header of {@link #FIELDS} on {@code headers}, replacing a value already there. */
    static void addTo(HttpFields.Mutable headers) {
        for (HttpField field : FIELDS) {
            headers.put(field);
        }
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        addTo(responseHeaders);
        return request;
    }
}
