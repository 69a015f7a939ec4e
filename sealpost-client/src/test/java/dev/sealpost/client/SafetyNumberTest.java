package dev.sealpost.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.Suite;
import org.junit.jupiter.api.Test;

class SafetyNumberTest {
    static final Fingerprint ASCENDING = new Fingerprint("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final Fingerprint DESCENDING = new Fingerprint("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0");

    @Test
    void knownAnswer_computedIndependently() {
        // Python: ''.join('%05d' % (int.from_bytes(fp[i*5:i*5+5], 'big') % 100000) for i in range(6)) per side, sorted
        assertEquals("090606058512110636351516066685187156719015665641401261561090",
                SafetyNumber.of(ASCENDING, DESCENDING).digits());
        assertEquals("09060 60585 12110 63635 15160 66685 18715 67190 15665 64140 12615 61090",
                SafetyNumber.of(ASCENDING, DESCENDING).toString());
    }

    @Test
    void bothSidesSeeTheSameNumber_andAnotherKeyChangesIt() throws Exception {
        Fingerprint alice = Identity.generate("alice", Suite.P256).publicIdentity().signingFingerprint();
        Fingerprint bob = Identity.generate("bob", Suite.P256).publicIdentity().signingFingerprint();
        Fingerprint mallory = Identity.generate("bob", Suite.P256).publicIdentity().signingFingerprint();
        assertEquals(SafetyNumber.of(alice, bob), SafetyNumber.of(bob, alice));
        assertNotEquals(SafetyNumber.of(alice, bob), SafetyNumber.of(alice, mallory));
    }

    @Test
    void onlySixtyDigits() {
        assertThrows(IllegalArgumentException.class, () -> new SafetyNumber("1234"));
        assertThrows(IllegalArgumentException.class, () -> new SafetyNumber("x".repeat(60)));
    }
}
