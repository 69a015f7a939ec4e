package dev.sealpost.relay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing with Argon2id (RFC 9106) by Bouncy Castle, stored as a PHC string
 * {@code $argon2id$v=19$m=KIB,t=PASSES,p=LANES$SALT$HASH} (base64 without padding), the form
 * the reference implementation, libsodium and most libraries read and write.
 *
 * <p>Every hash and check runs on a pool of its own ({@link RelayConfig.Hashing}): a few
 * platform threads, fewer than the machine's processors, and a bounded queue. The caller (a
 * virtual thread) waits without holding a carrier, so a burst of logins neither exhausts the
 * heap ({@code m} KiB per running hash) nor stalls the requests that need no hash. When the
 * queue is full the call fails at once with {@link ApiError.Busy} (503, {@code Retry-After}).
 */
final class PasswordHasher implements AutoCloseable {
    /**
     * Cost for new hashes.
     *
     * @param memoryKiB   memory per hash in KiB
     * @param iterations  passes over the memory
     * @param parallelism lanes
     */
    record Cost(int memoryKiB, int iterations, int parallelism) {}

    /** OWASP's recommended Argon2id setting: 19 MiB, 2 passes, 1 lane. */
    static final Cost OWASP = new Cost(19_456, 2, 1);

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,86})\\$([A-Za-z0-9+/]{22,86})");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MAX_MEMORY_KIB = 1 << 20; // 1 GiB: refuse absurd stored parameters
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    /** What a 503 asks to wait: a queue of a few hashes empties well within a second. */
    static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);
    static final String BUSY = "too many passwords to check at once; retry in 1 s";

    private final Cost cost;
    private final ThreadPoolExecutor pool;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param cost    cost of new hashes
     * @param hashing threads and queue places of the hashing pool
     */
    PasswordHasher(Cost cost, RelayConfig.Hashing hashing) {
        this.cost = cost;
        this.pool = new ThreadPoolExecutor(hashing.threads(), hashing.threads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(hashing.queue()),
                Thread.ofPlatform().name("sealpost-relay-argon2-", 1).daemon().factory(),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * @return a new PHC string for {@code password} with a fresh 16-byte salt
     * @throws ApiError.Busy if the hashing queue is full
     */
    String hash(String password) {
        return onPool(() -> computeHash(password));
    }

    private String computeHash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, cost.memoryKiB(), cost.iterations(), cost.parallelism(), HASH_BYTES);
        return "$argon2id$v=19$m=" + cost.memoryKiB() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /**
     * Checks a password against a PHC string, with the parameters stored in it.
     *
     * @return true if it matches; false if not, or if {@code phc} is not an Argon2id v1.3 string
     * @throws ApiError.Busy if the hashing queue is full
     */
    boolean verify(String password, String phc) {
        return onPool(() -> check(password, phc));
    }

    private boolean check(String password, String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return false;
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int lanes = Integer.parseInt(m.group(3));
        if (iterations < 1 || lanes < 1 || memory < 8 * lanes || memory > MAX_MEMORY_KIB) {
            return false;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = B64_DECODER.decode(m.group(4));
            expected = B64_DECODER.decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = derive(password, salt, memory, iterations, lanes, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Stops the pool; hashes still queued are dropped and their callers get an error. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Runs {@code work} on the pool and waits for it (a virtual thread waits without its carrier). */
    private <T> T onPool(Callable<T> work) {
        Future<T> result;
        try {
            result = pool.submit(work);
        } catch (RejectedExecutionException e) {
            throw new ApiError.Busy(BUSY, BUSY_RETRY_AFTER);
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a password hash", e);
        } catch (CancellationException e) {
            throw new ApiError.Busy(BUSY, BUSY_RETRY_AFTER); // the relay is stopping
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("password hashing failed", e.getCause());
        }
    }

    private byte[] derive(String password, byte[] salt, int memoryKiB, int iterations, int lanes, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(params);
            generator.generateBytes(pw, out);
            return out;
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }
}
