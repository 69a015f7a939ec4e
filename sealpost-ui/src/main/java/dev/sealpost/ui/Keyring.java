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
    private final java.util.List<Runnable> onLock = new java.util.concurrent.CopyOnWriteArrayList<>();
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

    /** Forgets the unlocked keys, and tells the listeners (which forget what they decrypted). */
    void lock() {
        synchronized (this) {
            if (identity == null) {
                return;
            }
            identity = null;
            lastUse = null;
        }
        onLock.forEach(Runnable::run);
    }

    /** @param listener run each time the keys are locked (by "Lock" or for idleness), after they are forgotten */
    void onLock(Runnable listener) {
        onLock.add(listener);
    }

    /** @return the unlocked identity, not counting as a use (for work the user did not ask for); empty if locked */
    Optional<Identity> current() {
        lockIfIdle();
        synchronized (this) {
            return Optional.ofNullable(identity);
        }
    }

    /** @return the unlocked identity, counting as a use; empty if locked (or just locked for idleness) */
    Optional<Identity> use() {
        lockIfIdle();
        synchronized (this) {
            if (identity != null) {
                lastUse = clock.instant();
            }
            return Optional.ofNullable(identity);
        }
    }

    /** @return whether the keys are unlocked, without counting as a use */
    boolean unlocked() {
        return current().isPresent();
    }

    /**
     * Locks if the keys have not been used for {@code idleLock}; called by a timer and before
     * every use. The listeners run without this keyring's monitor held.
     */
    void lockIfIdle() {
        boolean idle;
        synchronized (this) {
            idle = identity != null && !clock.instant().isBefore(lastUse.plus(idleLock));
        }
        if (idle) {
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
