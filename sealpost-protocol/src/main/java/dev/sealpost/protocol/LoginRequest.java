package dev.sealpost.protocol;

/**
 * Body of {@code POST /v1/sessions}.
 *
 * @param name     the account name
 * @param password the password; sent only inside TLS
 * @param otp      for an account with a second factor: the current 6-digit code of its
 *                 authenticator app (RFC 6238), or one of its unused recovery codes; null otherwise
 */
public record LoginRequest(String name, String password, String otp) {
    /** A login without a second factor. */
    public LoginRequest(String name, String password) {
        this(name, password, null);
    }

    @Override
    public String toString() {
        return "LoginRequest[name=" + name + ", password=[REDACTED], otp=" + (otp == null ? "none" : "[REDACTED]") + "]";
    }
}
