package dev.sealpost.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.crypto.Suite;
import dev.sealpost.protocol.KeyBundle;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactsTest {
    private static KeyBundle bundle(PublicIdentity p) {
        return new KeyBundle(p.name(), Pem.encodeCertificate(p.signingCertificate()), Pem.encodeCertificate(p.encryptionCertificate()));
    }

    @Test
    void pinOrCheck_twoProcessesWithStaleCopies_keepEachOthersPins(@TempDir Path dir) throws Exception {
        SealpostHome home = new SealpostHome(dir);
        PublicIdentity bob = Identity.generate("bob", Suite.P256).publicIdentity();
        PublicIdentity carol = Identity.generate("carol", Suite.P256).publicIdentity();
        Contacts watching = Contacts.load(home); // loaded long ago by a running 'watch'
        Contacts.load(home).pinOrCheck(bundle(bob)); // another command pins bob meanwhile

        watching.pinOrCheck(bundle(carol));

        assertEquals(List.of("bob", "carol"), Contacts.load(home).names(), "the stale copy did not drop bob");
    }

    @Test
    void pinOrCheck_fromManyThreadsOfOneProcess_takesTurns(@TempDir Path dir) throws Exception {
        // the web UI opens mail on several threads; a second FileChannel.lock() in one process
        // throws OverlappingFileLockException unless the threads take turns first
        SealpostHome home = new SealpostHome(dir);
        List<PublicIdentity> people = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            people.add(Identity.generate("p" + i, Suite.P256).publicIdentity());
        }
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(people.size());
        List<java.util.concurrent.Future<Contacts.Pinned>> done = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(people.size())) {
            for (PublicIdentity p : people) {
                done.add(pool.submit(() -> {
                    Contacts mine = Contacts.load(home);
                    start.await();
                    return mine.pinOrCheck(bundle(p));
                }));
            }
            for (var f : done) {
                assertTrue(f.get().newlyPinned());
            }
        }
        assertEquals(people.stream().map(PublicIdentity::name).sorted().toList(), Contacts.load(home).names());
    }

    @Test
    void pinOrCheck_keyTrustedElsewhere_isSeenByLongRunningProcess(@TempDir Path dir) throws Exception {
        SealpostHome home = new SealpostHome(dir);
        PublicIdentity oldBob = Identity.generate("bob", Suite.P256).publicIdentity();
        PublicIdentity newBob = Identity.generate("bob", Suite.P256).publicIdentity();
        Contacts watching = Contacts.load(home);
        watching.pinOrCheck(bundle(oldBob));

        Contacts.load(home).trust(bundle(newBob), newBob.signingFingerprint());

        assertTrue(watching.pinOrCheck(bundle(newBob)).identity().signingFingerprint().equals(newBob.signingFingerprint()));
        Contacts.KeyChangedException e = assertThrows(Contacts.KeyChangedException.class, () -> watching.pinOrCheck(bundle(oldBob)),
                "the old key is not pinned back");
        assertEquals("bob", e.name());
        assertEquals(oldBob.signingFingerprint(), e.offered(), "what the relay offers now, for the user to compare");
    }
}
