package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void createNew_writesANewFileWithItsMode_andLeavesNoTemporaryFile() throws Exception {
        Path out = dir.resolve("sealed.p7m");
        AtomicFiles.createNew(out, new byte[] {1, 2, 3}, AtomicFiles.OWNER_ONLY);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals(List.of(out), list(dir));
    }

    @Test
    void createNew_neverReplacesAFileThatExists() throws Exception {
        Path out = dir.resolve("sealed.p7m");
        Files.write(out, new byte[] {9});
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.createNew(out, new byte[] {1, 2, 3}, AtomicFiles.OWNER_ONLY));
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(out));
        assertEquals(List.of(out), list(dir));
    }

    @Test
    void createNew_intoAMissingFolder_failsAndCreatesNothing() {
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> AtomicFiles.createNew(dir.resolve("typo/sealed.p7m"), new byte[] {1}, AtomicFiles.OWNER_ONLY));
        assertTrue(!Files.exists(dir.resolve("typo")));
    }

    @Test
    void replace_swapsTheContentAndSetsTheMode_andLeavesNoTemporaryFile() throws Exception {
        Path out = dir.resolve("sub/cert.pem");
        AtomicFiles.replace(out, new byte[] {1}, AtomicFiles.OWNER_ONLY);
        AtomicFiles.replace(out, new byte[] {2, 2}, AtomicFiles.PUBLIC_READ);
        assertArrayEquals(new byte[] {2, 2}, Files.readAllBytes(out));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertTrue(AtomicFiles.readableByOthers(out));
        assertEquals(List.of(out), list(dir.resolve("sub")));
    }

    @Test
    void createPrivateDirectory_isOwnerOnly_andKeepsAnExistingOne() throws Exception {
        Path d = dir.resolve("a/private");
        AtomicFiles.createPrivateDirectory(d);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-x---"));
        AtomicFiles.createPrivateDirectory(d);
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThrows(java.io.IOException.class, () -> AtomicFiles.createPrivateDirectory(file));
    }

    private static List<Path> list(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }
}
