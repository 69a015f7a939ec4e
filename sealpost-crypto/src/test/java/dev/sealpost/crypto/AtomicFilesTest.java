package dev.sealpost.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealpostHomeTest {
    @TempDir
    Path dir;

    @Test
    void createAtomically_writesANewFile_andLeavesNoTemporaryFile() throws Exception {
        Path out = dir.resolve("sealed.p7m");
        SealpostHome.createAtomically(out, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
        assertEquals(List.of(out), list());
    }

    @Test
    void createAtomically_neverReplacesAFileThatExists() throws Exception {
        Path out = dir.resolve("sealed.p7m");
        Files.write(out, new byte[] {9});
        assertThrows(FileAlreadyExistsException.class, () -> SealpostHome.createAtomically(out, new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(out));
        assertEquals(List.of(out), list());
    }

    private List<Path> list() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
