package dev.sealpost.client.relay;

import dev.sealpost.protocol.AccountResponse;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.LoginRequest;
import dev.sealpost.protocol.RegisterRequest;
import dev.sealpost.protocol.SessionResponse;
import java.io.IOException;

/**
 * Accounts and the key directory: {@code POST /v1/accounts}, {@code POST /v1/sessions},
 * {@code PUT /v1/keys}, {@code GET /v1/keys/{name}} ({@link Api}). Passwords go only into the
 * request body, never into a URL, a log or an error message.
 */
public final class AccountApi {
    private final RelayTransport transport;

    /** @param transport the connection to the relay; register and login need no token */
    public AccountApi(RelayTransport transport) {
        this.transport = transport;
    }

    /**
     * Creates an account.
     *
     * @throws RelayException.Refused 409 if the name is taken, 400 for an invalid name or password
     * @throws RelayException.RateLimited if the relay limits registrations
     */
    public AccountResponse register(String name, char[] password) throws IOException {
        return transport.json("POST", Api.ACCOUNTS, new RegisterRequest(name, new String(password)), AccountResponse.class);
    }

    /**
     * Logs in.
     *
     * @return the new session's bearer token and its expiry
     * @throws RelayException.Refused 401 on a wrong name or password
     * @throws RelayException.RateLimited after too many attempts
     */
    public SessionResponse login(String name, char[] password) throws IOException {
        return transport.json("POST", Api.SESSIONS, new LoginRequest(name, new String(password)), SessionResponse.class);
    }

    /**
     * Publishes the caller's certificates in the relay's key directory (needs a token).
     *
     * @throws RelayException.Refused 401 without a valid token, 400 for certificates the relay refuses
     */
    public void publishKeys(KeyBundle bundle) throws IOException {
        transport.json("PUT", Api.KEYS, bundle, Void.class);
    }

    /**
     * @return the certificates {@code name} published, unverified: the caller pins or checks them
     * @throws RelayException.Refused 404 if there is no such account or it published none
     */
    public KeyBundle keys(String name) throws IOException {
        return transport.json("GET", Api.KEYS_OF.replace("{name}", RelayTransport.enc(name)), null, KeyBundle.class);
    }
}
