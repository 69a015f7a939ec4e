package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IdentityFilesTest {
    private static final char[] PASS = "correct horse battery staple ✓".toCharArray();
    private static final List<String> FILES = List.of("sig-key.pem", "enc-key.pem", "sig-cert.pem", "enc-cert.pem");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Suite.class)
    void write_thenRead_roundTripsAndTheKeysWork(Suite suite) throws Exception {
        Identity alice = TestIdentities.alice(suite);
        Path dir = tmp.resolve("home/identity");
        assertFalse(IdentityFiles.exists(dir));
        IdentityFiles.write(dir, alice, PASS);
        assertTrue(IdentityFiles.exists(dir));

        assertEquals(alice.publicIdentity(), IdentityFiles.readPublic(dir));
        Identity read = IdentityFiles.read(dir, PASS);
        assertEquals("alice", read.name());
        assertEquals(suite, read.suite());
        assertEquals(alice.signingCertificate(), read.signingCertificate());
        assertEquals(alice.encryptionCertificate(), read.encryptionCertificate());
        byte[] sealed = Smime.seal("x".getBytes(), read, List.of(TestIdentities.bob(suite).encryptionCertificate()));
        assertArrayEquals("x".getBytes(), Smime.decrypt(sealed, alice).verify(alice.signingCertificate()).content());
        assertArrayEquals("x".getBytes(), Smime.decrypt(sealed, read).verify(read.signingCertificate()).content());
    }

    @Test
    void write_setsOwnerOnlyModesAndLeavesNoTemporaryFiles() throws Exception {
        Path dir = tmp.resolve("id");
        IdentityFiles.write(dir, TestIdentities.alice(Suite.P256), PASS);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sig-key.pem"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("enc-key.pem"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sig-cert.pem"))));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(FILES.stream().sorted().toList(), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.readString(dir.resolve("sig-key.pem")).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assertTrue(Files.readString(dir.resolve("sig-cert.pem")).startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void write_keyFiles_usePbes2WithPbkdf2HmacSha256_600kIterations_Aes256Cbc() throws Exception {
        Path dir = tmp.resolve("id");
        IdentityFiles.write(dir, TestIdentities.alice(Suite.P256), PASS);
        for (String f : List.of("sig-key.pem", "enc-key.pem")) {
            PemObject pem = new PemReader(new StringReader(Files.readString(dir.resolve(f)))).readPemObject();
            AlgorithmIdentifier alg = EncryptedPrivateKeyInfo.getInstance(pem.getContent()).getEncryptionAlgorithm();
            assertEquals(PKCSObjectIdentifiers.id_PBES2, alg.getAlgorithm());
            PBES2Parameters p = PBES2Parameters.getInstance(alg.getParameters());
            assertEquals(PKCSObjectIdentifiers.id_PBKDF2, p.getKeyDerivationFunc().getAlgorithm());
            PBKDF2Params kdf = PBKDF2Params.getInstance(p.getKeyDerivationFunc().getParameters());
            assertTrue(kdf.getIterationCount().intValue() >= 600_000);
            assertEquals(16, kdf.getSalt().length);
            assertEquals(PKCSObjectIdentifiers.id_hmacWithSHA256, kdf.getPrf().getAlgorithm());
            assertEquals(NISTObjectIdentifiers.id_aes256_CBC, p.getEncryptionScheme().getAlgorithm());
        }
    }

    @Test
    void write_existingIdentity_refusesAndChangesNothing() throws Exception {
        Path dir = tmp.resolve("id");
        IdentityFiles.write(dir, TestIdentities.alice(Suite.P256), PASS);
        Map<String, byte[]> before = snapshot(dir);
        assertThrows(FileAlreadyExistsException.class, () -> IdentityFiles.write(dir, TestIdentities.bob(Suite.P256), PASS));
        assertSnapshot(before, dir);
    }

    @Test
    void write_partialIdentity_refuses() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("id"));
        Files.writeString(dir.resolve("enc-cert.pem"), "left over");
        assertTrue(IdentityFiles.exists(dir));
        assertThrows(FileAlreadyExistsException.class, () -> IdentityFiles.write(dir, TestIdentities.alice(Suite.P256), PASS));
        assertEquals("left over", Files.readString(dir.resolve("enc-cert.pem")));
        assertFalse(Files.exists(dir.resolve("sig-key.pem")));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void read_wrongPassphrase_failsAndLeavesFilesByteIdentical(Suite suite) throws Exception {
        Path dir = tmp.resolve("id");
        IdentityFiles.write(dir, TestIdentities.alice(suite), PASS);
        Map<String, byte[]> before = snapshot(dir);
        Map<String, FileTime> times = mtimes(dir);
        WrongPassphraseException e = assertThrows(WrongPassphraseException.class, () -> IdentityFiles.read(dir, "wrong".toCharArray()));
        assertTrue(e.getMessage().startsWith("wrong passphrase"), e.getMessage());
        assertThrows(WrongPassphraseException.class, () -> IdentityFiles.read(dir, new char[0]));
        assertSnapshot(before, dir);
        assertEquals(times, mtimes(dir));
        IdentityFiles.read(dir, PASS);
        assertSnapshot(before, dir);
        assertEquals(times, mtimes(dir));
    }

    @Test
    void write_emptyPassphrase_isAccepted() throws Exception {
        Path dir = tmp.resolve("id");
        IdentityFiles.write(dir, TestIdentities.alice(Suite.P256), new char[0]);
        assertEquals("alice", IdentityFiles.read(dir, new char[0]).name());
    }

    @Test
    void read_keyOfAnotherIdentity_failsAsMismatch() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        IdentityFiles.write(a, TestIdentities.alice(Suite.P256), PASS);
        IdentityFiles.write(b, TestIdentities.bob(Suite.P256), PASS);
        Files.copy(b.resolve("sig-key.pem"), a.resolve("sig-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IOException e = assertThrows(IOException.class, () -> IdentityFiles.read(a, PASS));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void read_rsaKeyOfAnotherIdentity_failsAsMismatch() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        IdentityFiles.write(a, TestIdentities.alice(Suite.RSA), PASS);
        IdentityFiles.write(b, TestIdentities.bob(Suite.RSA), PASS);
        Files.copy(b.resolve("enc-key.pem"), a.resolve("enc-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IOException e = assertThrows(IOException.class, () -> IdentityFiles.read(a, PASS));
        assertTrue(e.getMessage().contains("enc-key.pem") && e.getMessage().contains("does not match"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void open_decryptsKeysOnFirstUse_andTheyWork(Suite suite) throws Exception {
        Identity alice = TestIdentities.alice(suite);
        Path dir = tmp.resolve("id");
        IdentityFiles.write(dir, alice, PASS);
        char[] pass = PASS.clone();
        Identity opened = IdentityFiles.open(dir, pass);
        java.util.Arrays.fill(pass, '\0'); // the caller may clear its copy at once
        assertEquals(alice.publicIdentity(), opened.publicIdentity());
        assertTrue(opened.keyFailure().isEmpty());
        byte[] sealed = Smime.seal("x".getBytes(), opened.prepareKeys(true, true), List.of());
        assertArrayEquals("x".getBytes(), Smime.decrypt(sealed, opened).verify(alice.signingCertificate()).content());
        assertTrue(opened.keyFailure().isEmpty());
    }

    @Test
    void open_wrongPassphrase_opensButFailsWhereTheKeyIsUsed() throws Exception {
        Path dir = tmp.resolve("id");
        Identity alice = TestIdentities.alice(Suite.RSA);
        IdentityFiles.write(dir, alice, PASS);
        Map<String, byte[]> before = snapshot(dir);
        Identity opened = IdentityFiles.open(dir, "wrong".toCharArray());
        assertEquals("alice", opened.name());
        assertThrows(WrongPassphraseException.class, () -> Smime.seal("x".getBytes(), opened, List.of()));
        assertTrue(opened.keyFailure().orElseThrow() instanceof WrongPassphraseException);
        byte[] sealed = Smime.seal("x".getBytes(), alice, List.of());
        assertThrows(WrongPassphraseException.class, () -> Smime.decrypt(sealed, opened));
        assertSnapshot(before, dir);
    }

    @Test
    void open_prepareKeys_reportsAFailedBackgroundUnlockWithoutBeingAsked() throws Exception {
        Path dir = tmp.resolve("id");
        IdentityFiles.write(dir, TestIdentities.alice(Suite.P256), PASS);
        Identity opened = IdentityFiles.open(dir, "wrong".toCharArray()).prepareKeys(true, false);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (opened.keyFailure().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(opened.keyFailure().orElseThrow() instanceof WrongPassphraseException);
    }

    @Test
    void open_missingKeyFile_failsAtOnce() throws Exception {
        Path dir = tmp.resolve("id");
        IdentityFiles.write(dir, TestIdentities.alice(Suite.P256), PASS);
        Files.delete(dir.resolve("enc-key.pem"));
        assertThrows(NoSuchFileException.class, () -> IdentityFiles.open(dir, PASS));
    }

    @Test
    void read_unencryptedKeyFile_refused() throws Exception {
        Path dir = tmp.resolve("id");
        Identity alice = TestIdentities.alice(Suite.P256);
        IdentityFiles.write(dir, alice, PASS);
        Files.writeString(dir.resolve("enc-key.pem"), TestIdentities.unencryptedPem(alice.encryptionKey()));
        IOException e = assertThrows(IOException.class, () -> IdentityFiles.read(dir, PASS));
        assertTrue(e.getMessage().contains("not an encrypted PKCS#8 private key"), e.getMessage());
    }

    @Test
    void read_absurdIterationCount_refusedWithoutRunningIt() throws Exception {
        Path dir = tmp.resolve("id");
        IdentityFiles.write(dir, TestIdentities.alice(Suite.P256), PASS);
        Path key = dir.resolve("sig-key.pem");
        EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(
                new PemReader(new StringReader(Files.readString(key))).readPemObject().getContent());
        PBES2Parameters p = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        PBKDF2Params kdf = PBKDF2Params.getInstance(p.getKeyDerivationFunc().getParameters());
        PBKDF2Params huge = new PBKDF2Params(kdf.getSalt(), Integer.MAX_VALUE, 32, kdf.getPrf());
        EncryptedPrivateKeyInfo planted = new EncryptedPrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2,
                new PBES2Parameters(new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2, huge), p.getEncryptionScheme())),
                info.getEncryptedData());
        java.io.StringWriter w = new java.io.StringWriter();
        try (PemWriter pw = new PemWriter(w)) {
            pw.writeObject(new PemObject("ENCRYPTED PRIVATE KEY", planted.getEncoded()));
        }
        Files.writeString(key, w.toString());
        IOException e = assertThrows(IOException.class, () -> IdentityFiles.read(dir, PASS));
        assertTrue(e.getMessage().contains("iteration count"), e.getMessage());
    }

    @Test
    void read_missingFile_failsWithNoSuchFile() throws Exception {
        Path dir = tmp.resolve("id");
        IdentityFiles.write(dir, TestIdentities.alice(Suite.P256), PASS);
        Files.delete(dir.resolve("enc-key.pem"));
        assertThrows(NoSuchFileException.class, () -> IdentityFiles.read(dir, PASS));
        assertThrows(NoSuchFileException.class, () -> IdentityFiles.readPublic(tmp.resolve("nothing")));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void read_encryptionCertificateNotIssuedBySigningCertificate_refused(Suite suite) throws Exception {
        Path dir = tmp.resolve("id");
        IdentityFiles.write(dir, TestIdentities.alice(suite), PASS);
        Identity forged = Identity.generate("alice", suite, 2048);
        Files.writeString(dir.resolve("enc-cert.pem"), Pem.encodeCertificate(forged.encryptionCertificate()));
        Files.writeString(dir.resolve("enc-key.pem"), new String(EncryptedKeyPem.encrypt(forged.encryptionKey(), PASS), StandardCharsets.US_ASCII));
        for (Executable read : List.<Executable>of(() -> IdentityFiles.readPublic(dir), () -> IdentityFiles.read(dir, PASS))) {
            IOException e = assertThrows(IOException.class, read);
            assertTrue(e.getMessage().contains("encryption certificate is not issued by the signing certificate"), e.getMessage());
            assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
        }
    }

    @Test
    void readPublic_needsNoPassphraseAndTakesNameFromSigningCertificate() throws Exception {
        Path dir = tmp.resolve("id");
        Identity zoe = Identity.generate("Zoë", Suite.P256, 0);
        IdentityFiles.write(dir, zoe, PASS);
        PublicIdentity p = IdentityFiles.readPublic(dir);
        assertEquals("Zoë", p.name());
        assertEquals(zoe.publicIdentity(), p);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void opensslPkey_decryptsWrittenKeys(Suite suite) throws Exception {
        OpenSsl.assume();
        Path dir = tmp.resolve("id");
        Identity alice = TestIdentities.alice(suite);
        IdentityFiles.write(dir, alice, PASS);
        Path pass = tmp.resolve("pass.txt");
        Files.write(pass, new String(PASS).getBytes(StandardCharsets.UTF_8));
        for (String f : List.of("sig-key.pem", "enc-key.pem")) {
            OpenSsl.Result r = OpenSsl.ok(dir, "pkey", "-in", f, "-passin", "file:" + pass, "-pubout");
            String cert = f.startsWith("sig") ? "sig-cert.pem" : "enc-cert.pem";
            OpenSsl.Result fromCert = OpenSsl.ok(dir, "x509", "-in", cert, "-noout", "-pubkey");
            assertEquals(fromCert.stdout(), r.stdout(), f + " holds the key of " + cert);
        }
        Files.writeString(pass, "wrong");
        assertTrue(OpenSsl.run(dir, "pkey", "-in", "sig-key.pem", "-passin", "file:" + pass, "-noout").exit() != 0);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void read_keyReencryptedByOpenssl_accepted(Suite suite) throws Exception {
        OpenSsl.assume();
        Path dir = tmp.resolve("id");
        Identity alice = TestIdentities.alice(suite);
        IdentityFiles.write(dir, alice, PASS);
        Path plain = TestIdentities.export(alice, tmp.resolve("plain"));
        Path pass = tmp.resolve("pass.txt");
        Files.write(pass, new String(PASS).getBytes(StandardCharsets.UTF_8));
        Files.delete(dir.resolve("enc-key.pem"));
        OpenSsl.ok(tmp, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256", "-iter", "100000",
                "-in", plain.resolve("enc-key.pem").toString(), "-passout", "file:" + pass, "-out", dir.resolve("enc-key.pem").toString());
        assertEquals(alice.encryptionCertificate(), IdentityFiles.read(dir, PASS).encryptionCertificate());
    }

    private static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static void assertSnapshot(Map<String, byte[]> before, Path dir) throws IOException {
        Map<String, byte[]> after = snapshot(dir);
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k), after.get(k), k);
        }
    }

    private static Map<String, FileTime> mtimes(Path dir) throws IOException {
        Map<String, FileTime> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                m.put(p.getFileName().toString(), Files.getLastModifiedTime(p));
            }
        }
        return m;
    }
}
