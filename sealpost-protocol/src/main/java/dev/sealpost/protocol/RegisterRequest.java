package dev.sealpost.protocol;

/**
 * Body of {@code POST /v1/accounts}.
 *
 * @param name     the account name ({@link AccountName})
 * @param password the password, at least 8 characters; sent only inside TLS
 * @param keys     the account's certificates, published with it; required by a relay with an
 *                 organisation trust anchor, which accepts only certificates its CA issued for
 *                 {@code name}; null otherwise (publish them after login)
 */
public record RegisterRequest(String name, String password, KeyBundle keys) {
    /** A registration without certificates. */
    public RegisterRequest(String name, String password) {
        this(name, password, null);
    }

    @Override
    public String toString() {
        return "RegisterRequest[name=" + name + ", password=[REDACTED]]";
    }
}
