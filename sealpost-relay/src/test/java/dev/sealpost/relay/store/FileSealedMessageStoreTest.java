package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSealedMessageStoreTest {
    @TempDir
    Path dir;
    SealedMessageStore messages;

    @BeforeEach
    void open() throws IOException {
        messages = Stores.sealedMessages(dir);
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void put_thenOpen_returnsSameBytes() throws IOException {
        byte[] content = "sealed".getBytes();
        assertEquals(6, messages.put("abc", new ByteArrayInputStream(content), 100));
        try (InputStream in = messages.open("abc")) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertEquals(List.of("abc"), messages.keysOlderThan(java.time.Instant.MAX));
        assertEquals(List.of(dir.resolve("abc")), allFiles());
    }

    @Test
    void put_overLimit_throwsAndLeavesNoFile() throws IOException {
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> messages.put("abc", new ByteArrayInputStream(new byte[101]), 100));
        assertEquals(100, e.limit());
        assertEquals(List.of(), allFiles());
    }

    @Test
    void put_failingStream_leavesNoFile() throws IOException {
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 1000) {
                    throw new IOException("connection reset");
                }
                return 7;
            }
        };
        assertThrows(IOException.class, () -> messages.put("abc", broken, 1 << 20));
        assertEquals(List.of(), allFiles());
        assertThrows(NoSuchFileException.class, () -> messages.open("abc"));
    }

    @Test
    void put_existingKey_throwsAndKeepsOriginal() throws IOException {
        messages.put("abc", new ByteArrayInputStream(new byte[] {1}), 10);
        assertThrows(FileAlreadyExistsException.class, () -> messages.put("abc", new ByteArrayInputStream(new byte[] {2}), 10));
        try (InputStream in = messages.open("abc")) {
            assertArrayEquals(new byte[] {1}, in.readAllBytes());
        }
    }

    @Test
    void delete_removesOnce() throws IOException {
        messages.put("abc", new ByteArrayInputStream(new byte[] {1}), 10);
        assertTrue(messages.delete("abc"));
        assertFalse(messages.delete("abc"));
        assertEquals(List.of(), messages.keysOlderThan(java.time.Instant.MAX));
    }

    @Test
    void keys_withPathCharacters_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> messages.open("../relay.db"));
        assertThrows(IllegalArgumentException.class, () -> messages.put("a/b", InputStream.nullInputStream(), 1));
    }

    @Test
    void open_removesLeftoverTemporaryFiles() throws IOException {
        Files.write(dir.resolve("tmp").resolve("upload-1.part"), new byte[10]);
        Stores.sealedMessages(dir);
        assertEquals(List.of(), allFiles());
    }
}
