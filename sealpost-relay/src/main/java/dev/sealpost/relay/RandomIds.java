package dev.sealpost.relay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Unguessable identifiers: message and upload ids and bearer tokens, and the hash a token is stored as. */
final class RandomIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** 16 random bytes, base64url: 22 characters. */
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    /** 32 random bytes, base64url: 43 characters. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private RandomIds() {}

    /** @return a new message id: 128 random bits, base64url (URL- and file-name-safe) */
    static String messageId() {
        return random(16);
    }

    /** @return true if {@code s} has the shape of a message id */
    static boolean isMessageId(String s) {
        return s != null && MESSAGE_ID.matcher(s).matches();
    }

    /** @return a new upload id (later a blob id): 128 random bits, base64url, 22 characters */
    static String uploadId() {
        return random(16);
    }

    /** @return a new bearer token: 256 random bits, base64url (an RFC 6750 b64token) */
    static String token() {
        return random(32);
    }

    /** @return true if {@code s} has the shape of a token issued by this relay */
    static boolean isToken(String s) {
        return s != null && TOKEN.matcher(s).matches();
    }

    /**
     * The form a token is stored and looked up in. A token has 256 random bits, so an
     * unsalted SHA-256 cannot be reversed by guessing; the database never holds the token.
     *
     * @return hex SHA-256 of the token's ASCII bytes
     */
    static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return BASE64URL.encodeToString(b);
    }
}
