package dev.sealpost.protocol;

/**
 * Body of {@code POST /v1/sessions}.
 *
 * @param name     the account name
 * @param password the password; sent only inside TLS
 */
public record LoginRequest(String name, String password) {
    @Override
    public String toString() {
        return "LoginRequest[name=" + name + ", password=[REDACTED]]";
    }
}
