package dev.sealpost.crypto;

import java.security.PrivateKey;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A private key that is at hand, or that is decrypted from its file when first needed or
 * ahead of that on a background thread. Decrypting a key file costs 600,000 PBKDF2 iterations
 * (about 0.3 s of one core), which a command can overlap with work that needs no private key.
 * The key is decrypted at most once; every caller gets the same key or the same failure.
 */
final class PrivateKeySlot {
    private final FutureTask<PrivateKey> task;

    private PrivateKeySlot(FutureTask<PrivateKey> task) {
        this.task = task;
    }

    /** @return a slot holding {@code key} */
    static PrivateKeySlot of(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        FutureTask<PrivateKey> t = new FutureTask<>(() -> key);
        t.run();
        return new PrivateKeySlot(t);
    }

    /**
     * @param unlock decrypts the key; throws {@link KeyUnlockException} (or a subclass) on failure
     * @return a slot that runs {@code unlock} once, on {@link #startInBackground} or {@link #get}
     */
    static PrivateKeySlot deferred(Callable<PrivateKey> unlock) {
        return new PrivateKeySlot(new FutureTask<>(Objects.requireNonNull(unlock, "unlock")));
    }

    /** Starts decrypting on a daemon thread, unless that has started already. */
    void startInBackground(String threadName) {
        if (!task.isDone()) {
            Thread.ofPlatform().daemon().name(threadName).start(task); // a second run() of a FutureTask does nothing
        }
    }

    /**
     * @return the key, decrypting it in this thread if nobody has started yet, or waiting for
     *     the thread that has
     * @throws KeyUnlockException if the key cannot be decrypted or does not match its certificate
     */
    PrivateKey get() throws KeyUnlockException {
        task.run(); // does nothing if it ran or is running elsewhere
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the key is needed to go on; its decryption takes a fraction of a second
                }
            }
        } catch (ExecutionException e) {
            throw asUnlockFailure(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return the failure if decryption has finished and failed; never waits */
    Optional<KeyUnlockException> failure() {
        if (task.state() != java.util.concurrent.Future.State.FAILED) {
            return Optional.empty();
        }
        return Optional.of(asUnlockFailure(task.exceptionNow()));
    }

    private static KeyUnlockException asUnlockFailure(Throwable t) {
        return switch (t) {
            case KeyUnlockException k -> k;
            case RuntimeException r -> throw r;
            case Error err -> throw err;
            default -> new KeyUnlockException(String.valueOf(t.getMessage()), t);
        };
    }
}
