package dev.sealpost.cli;

import dev.sealpost.client.relay.RelayException;

/**
 * A relay's "no" to a password or a second-factor code is a security refusal (exit 3), not a
 * relay fault (exit 4): a script can tell "wrong code" from "relay down".
 */
final class LoginFailure {
    private LoginFailure() {}

    /** @return {@code r} as a one-line failure with exit 3 if it is a 400 or 401, else {@code r} unchanged */
    static RuntimeException of(RelayException.Refused r) {
        if (r.status() == 400 || r.status() == 401) {
            return new Failures.UserException(Failures.SECURITY, r.getMessage());
        }
        return new Failures.Deferred(r);
    }
}
