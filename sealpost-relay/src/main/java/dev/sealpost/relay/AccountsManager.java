package dev.sealpost.relay;

import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.AccountResponse;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.LoginRequest;
import dev.sealpost.protocol.PasswordChange;
import dev.sealpost.protocol.RegisterRequest;
import dev.sealpost.protocol.SessionResponse;
import dev.sealpost.relay.store.MetadataStore;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Registration and login: the rules around the accounts table. */
final class AccountsManager {
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 1024;
    static final String WRONG_CREDENTIALS = "wrong name or password";

    private final MetadataStore store;
    private final PasswordHasher hasher;
    private final SessionManager sessions;
    private final MfaManager mfa;
    private final KeyDirectory keys;
    private final Clock clock;

    AccountsManager(MetadataStore store, PasswordHasher hasher, SessionManager sessions, MfaManager mfa, KeyDirectory keys,
                    Clock clock) {
        this.store = store;
        this.keys = keys;
        this.mfa = mfa;
        this.hasher = hasher;
        this.sessions = sessions;
        this.clock = clock;
    }

    /**
     * @throws ApiError.BadRequest if the name is invalid or the password too short or long
     * @throws ApiError.Conflict   if the name is taken
     */
    AccountResponse register(RegisterRequest request) {
        String name = Names.require(request.name());
        String password = request.password();
        checkRules(password);
        if (keys != null && keys.requiresCa()) { // an organisation relay: only people its CA certified, before any work
            KeyBundle bundle = request.keys();
            if (bundle == null || !name.equals(bundle.name())) {
                throw new ApiError.BadRequest("this relay accepts only certificates from its organisation CA: register with them");
            }
            keys.checkIssuer(name, bundle.signingCertificate(), bundle.encryptionCertificate());
        }
        if (store.accountExists(name)) {
            throw taken(name);
        }
        String hash = hasher.hash(password);
        if (!store.createAccount(name, hash, clock.instant().truncatedTo(ChronoUnit.MILLIS))) {
            throw taken(name);
        }
        if (request.keys() != null && keys != null) {
            keys.publish(name, request.keys());
        }
        return new AccountResponse(name);
    }

    /**
     * Checks the password and issues a token. An unknown name gets the same answer as a wrong
     * password, at once: no Argon2id work, so a flood of made-up names costs the relay a
     * database lookup each and never holds up real logins. Which names exist is no secret on a
     * relay (its key directory lists them, registration says "taken"), so the time saved tells
     * nothing new.
     *
     * <p>An account with a second factor then needs a code ({@link MfaManager#check}): without
     * one the answer is {@link dev.sealpost.protocol.Api#SECOND_FACTOR_REQUIRED}, and the client
     * asks for it and logs in again.
     *
     * @param beforeHashing run once the name is known to exist, before its hash is checked
     *                      (the relay-wide rate limit: it must count only work that costs)
     * @param beforeCode    run before a second-factor code is checked (the account's code limit)
     * @param client        the login's {@code User-Agent}, kept for the session list (or null)
     * @param address       the login's client address, kept for the session list
     * @throws ApiError.Unauthorized "wrong name or password", or a second-factor refusal
     */
    SessionResponse login(LoginRequest request, String client, String address, Runnable beforeHashing, Runnable beforeCode) {
        String name = request.name();
        String password = request.password() == null ? "" : request.password();
        Optional<String> hash = AccountName.isValid(name) ? store.passwordHash(name) : Optional.empty();
        if (hash.isEmpty()) {
            throw new ApiError.Unauthorized(WRONG_CREDENTIALS, false);
        }
        beforeHashing.run();
        if (!hasher.verify(password, hash.get())) {
            throw new ApiError.Unauthorized(WRONG_CREDENTIALS, false);
        }
        if (mfa.required(name)) {
            if (request.otp() != null && !request.otp().isBlank()) {
                beforeCode.run();
            }
            mfa.check(name, request.otp());
        }
        return sessions.issue(name, client, address);
    }

    /**
     * Changes the caller's password and revokes every other session of the account (a stolen
     * token stops working with the old password).
     *
     * @param beforeHashing run before the old password's hash is checked (the login limits)
     * @throws ApiError.Unauthorized if the old password is wrong
     * @throws ApiError.BadRequest   if the new one breaks the length rules
     */
    void changePassword(SessionManager.Caller caller, PasswordChange change, Runnable beforeHashing) {
        checkRules(change.newPassword());
        String hash = store.passwordHash(caller.account()).orElseThrow(() -> new ApiError.Unauthorized(WRONG_CREDENTIALS, false));
        beforeHashing.run();
        if (!hasher.verify(change.oldPassword() == null ? "" : change.oldPassword(), hash)) {
            throw new ApiError.Unauthorized("wrong password", false);
        }
        store.setPasswordHash(caller.account(), hasher.hash(change.newPassword()));
        sessions.revokeOthers(caller);
    }

    private static void checkRules(String password) {
        if (password == null) {
            throw new ApiError.BadRequest("missing password");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD) {
            throw new ApiError.BadRequest("password too short: use at least " + MIN_PASSWORD + " characters");
        }
        if (length > MAX_PASSWORD) {
            throw new ApiError.BadRequest("password too long: at most " + MAX_PASSWORD + " characters");
        }
    }

    private static ApiError.Conflict taken(String name) {
        return new ApiError.Conflict("name already taken: " + name);
    }
}
