package dev.sealpost.client.relay;

import dev.sealpost.protocol.AccountResponse;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.LoginRequest;
import dev.sealpost.protocol.MfaCode;
import dev.sealpost.protocol.MfaEnrollment;
import dev.sealpost.protocol.RecoveryCodes;
import dev.sealpost.protocol.PasswordChange;
import dev.sealpost.protocol.RegisterRequest;
import dev.sealpost.protocol.SessionList;
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
        return register(name, password, null);
    }

    /**
     * Creates an account and publishes its certificates with it, as a relay with an
     * organisation CA requires.
     *
     * @param keys the account's certificates, or null
     * @throws RelayException.Refused 403 if the relay's organisation CA did not issue them for {@code name}
     */
    public AccountResponse register(String name, char[] password, KeyBundle keys) throws IOException {
        return transport.json("POST", Api.ACCOUNTS, new RegisterRequest(name, new String(password), keys), AccountResponse.class);
    }

    /**
     * Logs in.
     *
     * @return the new session's bearer token and its expiry
     * @throws RelayException.Refused 401 on a wrong name or password
     * @throws RelayException.RateLimited after too many attempts
     */
    public SessionResponse login(String name, char[] password) throws IOException {
        return login(name, password, null);
    }

    /**
     * Logs in with a second factor.
     *
     * @param otp the authenticator app's current 6-digit code (RFC 6238) or a recovery code; null for none
     * @return the new session's bearer token and its expiry
     * @throws RelayException.Refused 401 on a wrong name or password; 401 with
     *                                {@link Api#SECOND_FACTOR_REQUIRED} when the account needs a code and none was given
     *                                ({@link #needsSecondFactor}); 401 on a wrong or reused code
     * @throws RelayException.RateLimited after too many attempts
     */
    public SessionResponse login(String name, char[] password, char[] otp) throws IOException {
        return transport.json("POST", Api.SESSIONS, new LoginRequest(name, new String(password), otp == null ? null : new String(otp)),
                SessionResponse.class);
    }

    /** @return the account's sessions that have not expired, oldest first (needs a token) */
    public SessionList sessions() throws IOException {
        return transport.json("GET", Api.SESSIONS, null, SessionList.class);
    }

    /**
     * Revokes one session of the account: its token stops working at once.
     *
     * @param id a {@link dev.sealpost.protocol.SessionInfo#id()}, or {@link Api#CURRENT_SESSION} to log out
     * @throws RelayException.Refused 404 if the account has no such session
     */
    public void revokeSession(String id) throws IOException {
        transport.json("DELETE", Api.SESSION.replace("{id}", RelayTransport.enc(id)), null, Void.class);
    }

    /** Revokes every session of the account but this one. */
    public void revokeOtherSessions() throws IOException {
        transport.json("DELETE", Api.SESSIONS, null, Void.class);
    }

    /**
     * Changes the account's password; every other session is revoked.
     *
     * @throws RelayException.Refused 401 if {@code oldPassword} is wrong, 400 if the new one is too short or long
     */
    public void changePassword(char[] oldPassword, char[] newPassword) throws IOException {
        transport.json("POST", Api.PASSWORD, new PasswordChange(new String(oldPassword), new String(newPassword)), Void.class);
    }

    /** @return whether {@code e}, from {@link #login}, asks for a second-factor code */
    public static boolean needsSecondFactor(IOException e) {
        return e instanceof RelayException.Refused r && r.status() == 401 && Api.SECOND_FACTOR_REQUIRED.equals(r.getMessage());
    }

    /**
     * Starts enrolling a second factor (needs a token): a new TOTP secret, not in force until {@link #confirmMfa}.
     *
     * @throws RelayException.Refused 409 if one is on already
     */
    public MfaEnrollment beginMfa() throws IOException {
        return transport.json("POST", Api.MFA, null, MfaEnrollment.class);
    }

    /**
     * Puts the second factor in force with the app's current code.
     *
     * @return ten single-use recovery codes, shown by the relay this once
     * @throws RelayException.Refused 400 on a wrong code, 409 if nothing is being enrolled
     */
    public RecoveryCodes confirmMfa(char[] code) throws IOException {
        return transport.json("POST", Api.MFA_CONFIRM, new MfaCode(new String(code)), RecoveryCodes.class);
    }

    /**
     * Turns the second factor off.
     *
     * @param code the app's current code or a recovery code
     * @throws RelayException.Refused 400 on a wrong code, 409 if it is not on
     */
    public void disableMfa(char[] code) throws IOException {
        transport.json("DELETE", Api.MFA, new MfaCode(new String(code)), Void.class);
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
