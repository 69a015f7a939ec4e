package dev.sealpost.relay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing with Argon2id (RFC 9106) by Bouncy Castle, stored as a PHC string
 * {@code $argon2id$v=19$m=KIB,t=PASSES,p=LANES$SALT$HASH} (base64 without padding), the form
 * the reference implementation, libsodium and most libraries read and write.
 *
 * <p>Each hash takes {@code m} KiB of memory, so at most a few run at once (the others wait):
 * a burst of logins must not exhaust the heap.
 */
final class PasswordHasher {
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

    private final Cost cost;
    private final Semaphore running;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;

    /**
     * @param cost          cost of new hashes
     * @param maxConcurrent hashes computed at the same time
     */
    PasswordHasher(Cost cost, int maxConcurrent) {
        this.cost = cost;
        this.running = new Semaphore(maxConcurrent, true);
        this.dummyHash = hash("dummy password for unknown accounts " + random.nextLong());
    }

    /** @return a new PHC string for {@code password} with a fresh 16-byte salt */
    String hash(String password) {
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
     */
    boolean verify(String password, String phc) {
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

    /**
     * Spends the same time as a real check, for a name that has no account, so that response
     * times do not tell which names exist.
     */
    void verifyDummy(String password) {
        verify(password, dummyHash);
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
        running.acquireUninterruptibly();
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(params);
            generator.generateBytes(pw, out);
            return out;
        } finally {
            running.release();
            Arrays.fill(pw, (byte) 0);
        }
    }
}
