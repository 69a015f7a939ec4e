package dev.sealpost.protocol;

/**
 * Answer to {@code POST /v1/mfa}: a new TOTP secret for the caller, not yet in force.
 *
 * @param secret the secret in RFC 4648 base32 without padding, for typing into an app
 * @param uri    the same as an {@code otpauth://totp/...} URI (Key Uri Format), for a QR code
 */
public record MfaEnrollment(String secret, String uri) {
    @Override
    public String toString() {
        return "MfaEnrollment[REDACTED]";
    }
}
