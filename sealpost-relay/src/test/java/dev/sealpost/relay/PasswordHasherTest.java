package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    static final PasswordHasher HASHER = new PasswordHasher(PasswordHasher.OWASP, new RelayConfig.Hashing(2, 8));

    /** Argon2id v1.3 of "password" with salt "somesalt", m=64 MiB, t=2, p=1, by the reference implementation. */
    static final String REFERENCE = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

    @Test
    void verify_referenceImplementationHash_matches() {
        assertTrue(HASHER.verify("password", REFERENCE));
        assertFalse(HASHER.verify("Password", REFERENCE));
    }

    @Test
    void hash_isPhcArgon2idWithOwaspCost() {
        String phc = HASHER.hash("correct horse");
        assertTrue(phc.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), phc);
        assertTrue(HASHER.verify("correct horse", phc));
        assertFalse(HASHER.verify("correct horse ", phc));
    }

    @Test
    void hash_samePasswordTwice_differsBySalt() {
        assertNotEquals(HASHER.hash("correct horse"), HASHER.hash("correct horse"));
    }

    @Test
    void verify_malformedOrOtherAlgorithm_isFalse() {
        assertFalse(HASHER.verify("password", ""));
        assertFalse(HASHER.verify("password", REFERENCE.replace("argon2id", "argon2i")));
        assertFalse(HASHER.verify("password", REFERENCE.replace("v=19", "v=16")));
        assertFalse(HASHER.verify("password", REFERENCE.replace("m=65536", "m=9999999")));
        assertFalse(HASHER.verify("password", "$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"));
    }

    @Test
    void hash_queueFull_refusesAtOnceWithBusy() throws Exception {
        try (PasswordHasher small = new PasswordHasher(PasswordHasher.OWASP, new RelayConfig.Hashing(1, 1));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(callers.submit(() -> {
                    start.await();
                    try {
                        small.hash("correct horse");
                        return "hashed";
                    } catch (ApiError.Busy e) {
                        assertEquals(503, ErrorMapper.status(e));
                        assertEquals(1, e.retryAfterSeconds());
                        return "busy";
                    }
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : results) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            assertTrue(outcomes.contains("busy"), outcomes.toString());
            assertTrue(outcomes.contains("hashed"), outcomes.toString());
        }
    }

    @Test
    void verify_nonAsciiPassword_usesUtf8() {
        String phc = HASHER.hash("pässwörd-ñ-🔑");
        assertTrue(HASHER.verify("pässwörd-ñ-🔑", phc));
        assertFalse(HASHER.verify("passwrd-n-", phc));
    }
}
