package dev.sealpost.protocol;

/**
 * Body of {@code POST /v1/accounts}.
 *
 * @param name     the account name ({@link AccountName})
 * @param password the password, at least 8 characters; sent only inside TLS
 */
public record RegisterRequest(String name, String password) {
    @Override
    public String toString() {
        return "RegisterRequest[name=" + name + ", password=[REDACTED]]";
    }
}
