package dev.sealpost.crypto;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * Unwraps an S/MIME entity (RFC 8551 §3.2) around a CMS object: {@code Content-Type:
 * application/pkcs7-mime} (or the older {@code application/x-pkcs7-mime}) with a base64 or
 * binary body. This is what {@code openssl cms -sign} and {@code -encrypt} write unless told
 * {@code -outform DER}.
 */
final class SmimeEntity {
    private SmimeEntity() {}

    /** Longest header section read before giving up, in bytes. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    /**
     * @param bytes DER (returned as is when it starts with a SEQUENCE tag) or an S/MIME entity
     * @param what what the bytes are, for error messages
     * @return the DER/BER bytes of the CMS object
     * @throws MalformedMessageException if the bytes are neither DER nor a pkcs7-mime entity
     */
    static byte[] derOf(byte[] bytes, String what) throws MalformedMessageException {
        if (bytes.length == 0 || bytes[0] == 0x30) {
            return bytes;
        }
        int body = bodyStart(bytes);
        if (body < 0) {
            throw new MalformedMessageException("the " + what + " is neither DER nor an S/MIME entity");
        }
        try {
            InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(bytes, 0, body));
            String type = headers.getHeader("Content-Type", null);
            if (type == null) {
                throw new MalformedMessageException("the " + what + " has no Content-Type");
            }
            ContentType ct = new ContentType(type);
            if (!ct.match("application/pkcs7-mime") && !ct.match("application/x-pkcs7-mime")) {
                throw new MalformedMessageException("the " + what + " is " + ct.getBaseType().toLowerCase(Locale.ROOT) + ", not application/pkcs7-mime");
            }
            String encoding = headers.getHeader("Content-Transfer-Encoding", null);
            byte[] raw = Arrays.copyOfRange(bytes, body, bytes.length);
            String enc = encoding == null ? "7bit" : encoding.strip().toLowerCase(Locale.ROOT);
            return switch (enc) {
                case "base64" -> Base64.getMimeDecoder().decode(raw);
                case "binary", "7bit", "8bit" -> raw;
                default -> throw new MalformedMessageException("the " + what + " has an unsupported transfer encoding");
            };
        } catch (MessagingException | IllegalArgumentException e) {
            throw new MalformedMessageException("the " + what + " is not a well-formed S/MIME entity", e);
        }
    }

    /** @return the index after the blank line that ends the headers, or -1 */
    private static int bodyStart(byte[] b) {
        int limit = Math.min(b.length, MAX_HEADER_BYTES);
        for (int i = 0; i < limit; i++) {
            if (b[i] == '\n') {
                if (i + 1 < b.length && b[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < b.length && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }
}
