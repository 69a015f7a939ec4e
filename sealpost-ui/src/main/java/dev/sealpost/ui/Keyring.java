package dev.sealpost.ui;

import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.IdentityFiles;
import dev.sealpost.crypto.WrongPassphraseException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The UI session's unlocked keys: held in this process's memory from "Unlock" until "Lock", or
 * until {@code idleLock} passes without a use. Locking drops the only reference to the
 * {@link Identity}; Java cannot wipe the key objects, so they live until the collector reclaims
 * them, as in every JCA program. Thread-safe.
 */
final class Keyring {
    private final Path identityDir;
    private final Duration idleLock;
    private final Clock clock;
    private Identity identity;
    private Instant lastUse;

    /**
     * @param identityDir where the encrypted keys are ({@code $SEALPOST_HOME/identity})
     * @param idleLock    how long the keys stay unlocked without a use; positive
     * @throws IllegalArgumentException if {@code idleLock} is not positive
     */
    Keyring(Path identityDir, Duration idleLock, Clock clock) {
        if (idleLock.isNegative() || idleLock.isZero()) {
            throw new IllegalArgumentException("the idle lock time must be positive");
        }
        this.identityDir = identityDir;
        this.idleLock = idleLock;
        this.clock = clock;
    }

    /**
     * Decrypts both private keys with {@code passphrase} (PBKDF2, about 0.3 s of one core each)
     * and keeps them. The caller clears its array afterwards.
     *
     * @throws WrongPassphraseException if a key does not decrypt; the keyring stays as it was
     * @throws IOException if the identity files cannot be read
     */
    void unlock(char[] passphrase) throws IOException, WrongPassphraseException {
        Identity opened = IdentityFiles.read(identityDir, passphrase);
        synchronized (this) {
            identity = opened;
            lastUse = clock.instant();
        }
    }

    /** Forgets the unlocked keys. */
    synchronized void lock() {
        identity = null;
        lastUse = null;
    }

    /** @return the unlocked identity, counting as a use; empty if locked (or just locked for idleness) */
    synchronized Optional<Identity> use() {
        lockIfIdle();
        if (identity != null) {
            lastUse = clock.instant();
        }
        return Optional.ofNullable(identity);
    }

    /** @return whether the keys are unlocked, without counting as a use */
    synchronized boolean unlocked() {
        lockIfIdle();
        return identity != null;
    }

    /** Locks if the keys have not been used for {@code idleLock}; called by a timer and before every use. */
    synchronized void lockIfIdle() {
        if (identity != null && !clock.instant().isBefore(lastUse.plus(idleLock))) {
            lock();
        }
    }

    /** @return how long the keys stay unlocked without a use */
    Duration idleLock() {
        return idleLock;
    }

    /** Unlocks with a passphrase given at start ({@code SEALPOST_PASSPHRASE}) and clears it. */
    void unlockWith(char[] passphrase) throws IOException, WrongPassphraseException {
        try {
            unlock(passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }
}
