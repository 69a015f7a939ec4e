package dev.sealpost.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.crypto.BlobIntegrityException;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.MalformedMessageException;
import dev.sealpost.crypto.Suite;
import dev.sealpost.protocol.Api;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundleTest {
    Identity alice;
    Identity bob;

    @BeforeAll
    void keys() {
        alice = Identity.generate("alice", Suite.P256);
        bob = Identity.generate("bob", Suite.P256);
    }

    /** Seals through the outgoing pipeline with an inline bound of 0, so every file becomes a blob of the bundle. */
    private Path bundle(Path dir, List<OutgoingFile> files) throws IOException, GeneralSecurityException {
        Path out = dir.resolve("sealed.sp");
        Draft draft = new Draft("", "files", List.of(new Attachment("note.txt", "text/plain", new byte[] {42})), files);
        try (FileDestination destination = new FileDestination(out)) {
            new OutgoingPipeline(alice, Clock.systemUTC(), 0).send(List.of(new Recipient("bob", bob.encryptionCertificate())),
                    draft, destination, Progress.NONE);
        }
        return out;
    }

    record Result(Opened opened, List<Path> saved) {}

    /** Opens through the incoming pipeline with the bundle as the blob source. */
    private Result open(Path file, Path out) throws IOException, GeneralSecurityException {
        IncomingPipeline pipeline = new IncomingPipeline(bob);
        try (Bundle.Contents contents = Bundle.open(file)) {
            Opened opened = pipeline.open(contents.sealed(), claimed -> Optional.of(new TrustedSigner("alice", alice.signingCertificate())));
            return new Result(opened, pipeline.save(opened.letter(), contents, out, false, Progress.NONE));
        }
    }

    private static OutgoingFile file(Path dir, String name, int size, int seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path p = Files.write(dir.resolve(name.replace('/', '_')), b);
        return OutgoingFile.of(p, name);
    }

    private static List<Path> contents(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).toList();
        }
    }

    @Test
    void open_ofWrite_savesEveryFileByteIdentical(@TempDir Path tmp) throws Exception {
        List<OutgoingFile> files = List.of(file(tmp, "empty.bin", 0, 1), file(tmp, "one.bin", 1, 2),
                file(tmp, "clips/three-segments.mp4", (3 << 20) - 1000, 3));
        Path sealed = bundle(tmp, files);
        assertTrue(Bundle.isBundle(sealed));

        Result r = open(sealed, tmp.resolve("out"));

        assertEquals("alice", r.opened().signer());
        assertEquals(4, r.saved().size());
        Path out = tmp.resolve("out").toRealPath();
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(out.resolve("note.txt")));
        for (OutgoingFile f : files) {
            assertArrayEquals(Files.readAllBytes(f.path()), Files.readAllBytes(out.resolve(f.name())), f.name());
        }
    }

    @Test
    void write_moreFilesThanTheProtocolAllows_refusedBeforeAnythingIsWritten(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectory(tmp.resolve("in"));
        List<OutgoingFile> files = new java.util.ArrayList<>();
        for (int i = 0; i <= Api.MAX_BLOBS_PER_MESSAGE; i++) {
            files.add(file(in, "f" + i + ".bin", 1, i));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bundle(tmp, files));
        assertEquals("too many files: a message carries at most 1,000 files over 0 bytes, this one has 1,001", e.getMessage());
        assertEquals(List.of(in), contents(tmp).stream().filter(p -> !p.getParent().equals(in)).toList());
        // at the limit it goes through, and every file comes back
        Path out = bundle(tmp, files.subList(0, Api.MAX_BLOBS_PER_MESSAGE));
        assertEquals(Api.MAX_BLOBS_PER_MESSAGE + 1, open(out, tmp.resolve("out")).saved().size());
    }

    @Test
    void write_existingOutput_isNotReplaced(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("sealed.sp"), "mine");
        assertThrows(FileAlreadyExistsException.class, () -> bundle(tmp, List.of(file(tmp, "a.bin", 10, 1))));
        assertEquals("mine", Files.readString(tmp.resolve("sealed.sp")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(2, s.count()); // sealed.sp and a.bin, no temporary file left
        }
    }

    @Test
    void open_tamperedBlobByte_failsAndSavesNothing(@TempDir Path tmp) throws Exception {
        Path sealed = bundle(tmp, List.of(file(tmp, "a.bin", 3 << 20, 7)));
        for (long at : new long[] {16, 16 + 40 + 5, 16 + (1 << 20) + 3, 16 + (3L << 20) + 10}) {
            Path copy = Files.copy(sealed, tmp.resolve("t" + at + ".sp"));
            flip(copy, at);
            assertThrows(BlobIntegrityException.class, () -> open(copy, tmp.resolve("out")), "flip at " + at);
            assertEquals(List.of(), contents(tmp.resolve("out")));
        }
    }

    @Test
    void open_truncatedOrExtended_failsAndSavesNothing(@TempDir Path tmp) throws Exception {
        Path sealed = bundle(tmp, List.of(file(tmp, "a.bin", 2 << 20, 8)));
        byte[] all = Files.readAllBytes(sealed);
        Path cut = Files.write(tmp.resolve("cut.sp"), java.util.Arrays.copyOf(all, all.length - 1));
        assertThrows(MalformedMessageException.class, () -> open(cut, tmp.resolve("out")));
        // a segment dropped: trailer and letter intact, the blob region one segment short
        byte[] dropped = new byte[all.length - (1 << 20)];
        System.arraycopy(all, 0, dropped, 0, 16 + (1 << 20));
        System.arraycopy(all, 16 + (2 << 20), dropped, 16 + (1 << 20), all.length - 16 - (2 << 20));
        Path short_ = Files.write(tmp.resolve("short.sp"), dropped);
        assertThrows(IOException.class, () -> open(short_, tmp.resolve("out")));
        byte[] longer = java.util.Arrays.copyOf(all, all.length + 5);
        System.arraycopy(all, all.length - 24, longer, all.length + 5 - 24, 24);
        Path extended = Files.write(tmp.resolve("long.sp"), longer);
        assertThrows(IOException.class, () -> open(extended, tmp.resolve("out")));
        assertEquals(List.of(), contents(tmp.resolve("out")));
        assertFalse(Bundle.isBundle(Files.writeString(tmp.resolve("plain.txt"), "hello")));
    }

    private static void flip(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    @Test
    void write_compressibleFile_travelsDeflatedAndOpensByteIdentical(@TempDir Path tmp) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < (3 << 20); i++) {
            text.append("2026-12-01T10:00:").append(i % 60).append(" INFO request ").append(i).append(" served in ").append(i % 97).append(" ms\n");
        }
        Path log = Files.writeString(tmp.resolve("server.log.txt"), text);
        OutgoingFile random = file(tmp, "noise.bin", 2 << 20, 9);
        Path sealed = bundle(tmp, List.of(OutgoingFile.of(log, "server.log.txt"), random));

        assertTrue(Files.size(sealed) < Files.size(log) / 3 + Files.size(random.path()) + (64 << 10),
                "bundle of " + Files.size(sealed) + " bytes: the log was not compressed");
        Result r = open(sealed, tmp.resolve("out"));
        assertTrue(r.opened().letter().blobs().get(0).compressed());
        assertFalse(r.opened().letter().blobs().get(1).compressed(), "random data is sent as it is");
        Path out = tmp.resolve("out").toRealPath();
        assertArrayEquals(Files.readAllBytes(log), Files.readAllBytes(out.resolve("server.log.txt")));
        assertArrayEquals(Files.readAllBytes(random.path()), Files.readAllBytes(out.resolve("noise.bin")));
    }
}
