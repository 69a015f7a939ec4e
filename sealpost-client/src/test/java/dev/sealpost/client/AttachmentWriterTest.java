package dev.sealpost.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachmentWriterTest {
    @Test
    void saveAll_hostileNames_stayInsideOutputFolder(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("out");
        List<Path> saved = AttachmentWriter.saveAll(List.of(
                new Attachment("../../escape.png", "image/png", new byte[] {1}),
                new Attachment("/etc/cron.d/x", "image/png", new byte[] {2}),
                new Attachment("../escape.png", "image/png", new byte[] {3})), out);

        Path real = out.toRealPath();
        assertEquals(List.of(real.resolve("escape.png"), real.resolve("etc/cron.d/x"), real.resolve("escape-1.png")), saved);
        for (Path p : saved) {
            assertTrue(p.normalize().startsWith(real), p.toString());
        }
        assertFalse(Files.exists(tmp.resolve("escape.png")));
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(saved.get(2)));
    }

    @Test
    void saveAll_existingFile_isNotOverwritten(@TempDir Path out) throws IOException {
        Files.writeString(out.resolve("a.png"), "mine");
        List<Path> saved = AttachmentWriter.saveAll(List.of(new Attachment("a.png", "image/png", new byte[] {9})), out);
        assertEquals("mine", Files.readString(out.resolve("a.png")));
        assertEquals(out.toRealPath().resolve("a-1.png"), saved.get(0));
    }

    @Test
    void saveAll_outputIsAFile_failsAndLeavesNoTemporaryFiles(@TempDir Path tmp) throws IOException {
        Path notADir = Files.writeString(tmp.resolve("file"), "x");
        assertThrows(IOException.class, () -> AttachmentWriter.saveAll(
                List.of(new Attachment("a.png", "image/png", new byte[] {1})), notADir));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(notADir), s.toList());
        }
    }

    @Test
    void saveAll_noAttachments_createsNothing(@TempDir Path tmp) throws IOException {
        assertTrue(AttachmentWriter.saveAll(List.of(), tmp.resolve("out")).isEmpty());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void batch_relativePaths_recreateFoldersInside(@TempDir Path out) throws IOException {
        List<Path> saved = AttachmentWriter.saveAll(List.of(
                new Attachment("scans/2026/ct-01.dcm", "application/dicom", new byte[] {1}),
                new Attachment("scans/2026/ct-01.dcm", "application/dicom", new byte[] {2}),
                new Attachment("scans/../../../notes.txt", "text/plain", new byte[] {3})), out);
        Path real = out.toRealPath();
        assertEquals(List.of(real.resolve("scans/2026/ct-01.dcm"), real.resolve("scans/2026/ct-01-1.dcm"),
                real.resolve("scans/notes.txt")), saved);
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(saved.get(1)));
    }

    @Test
    void batch_failureWhilePlacing_removesFilesAndFoldersItCreated(@TempDir Path out) throws IOException {
        // "a/b" must become a folder, but a file already has that name: placing fails half way.
        Files.createDirectories(out.resolve("a"));
        Files.writeString(out.resolve("a/b"), "mine");
        assertThrows(IOException.class, () -> AttachmentWriter.saveAll(List.of(
                new Attachment("new/first.txt", "text/plain", new byte[] {1}),
                new Attachment("a/b/c.txt", "text/plain", new byte[] {2})), out));
        try (Stream<Path> s = Files.walk(out)) {
            assertEquals(List.of(out, out.resolve("a"), out.resolve("a/b")), s.sorted().toList());
        }
        assertEquals("mine", Files.readString(out.resolve("a/b")));
    }

    @Test
    void batch_closedWithoutCommit_deletesTemporaryFiles(@TempDir Path out) throws IOException {
        try (AttachmentWriter.Batch batch = AttachmentWriter.begin(out, false)) {
            Path t = batch.newTemp();
            Files.write(t, new byte[] {1, 2, 3});
            batch.add("x.bin", t);
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void batch_newFoldersAndFiles_areOwnerOnly(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("new/out");
        Path download = Files.writeString(tmp.resolve("downloaded"), "a finished download"); // 0644 under umask 022
        Files.setPosixFilePermissions(download, PosixFilePermissions.fromString("rw-r--r--"));
        List<Path> saved;
        try (AttachmentWriter.Batch batch = AttachmentWriter.begin(out, true)) {
            batch.add("scans/study/ct-01.dcm", new byte[] {1});
            batch.adopt("video.mp4", download);
            saved = batch.commit();
        }
        assertEquals("rwx------", mode(out));
        assertEquals("rwx------", mode(tmp.resolve("new")));
        assertEquals("rwx------", mode(out.resolve("scans")));
        assertEquals("rwx------", mode(out.resolve("scans/study")));
        for (Path p : saved) {
            assertEquals("rw-------", mode(p), p.toString());
        }
    }

    @Test
    void batch_existingOutputFolder_keepsItsMode(@TempDir Path out) throws IOException {
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-x---"));
        try (AttachmentWriter.Batch batch = AttachmentWriter.begin(out, false)) {
            batch.add("a/b.png", new byte[] {1});
            batch.commit();
        }
        assertEquals("rwxr-x---", mode(out));
        assertEquals("rwx------", mode(out.resolve("a")));
        assertEquals("rw-------", mode(out.resolve("a/b.png")));
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
