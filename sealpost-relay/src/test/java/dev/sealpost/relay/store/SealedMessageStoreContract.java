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
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SealedMessageStore} must do, whatever keeps the bytes: a message is stored
 * whole or not at all, keys are checked, a taken key is refused. Subclasses give the store and
 * what it holds underneath (files, objects), to show that nothing partial is left.
 */
abstract class SealedMessageStoreContract {
    SealedMessageStore messages;

    /** @return the store under test, empty */
    abstract SealedMessageStore open() throws IOException;

    /** @return what the store keeps underneath: a name per file or object, whole messages and leftovers alike */
    abstract List<String> stored() throws IOException;

    @org.junit.jupiter.api.BeforeEach
    void openStore() throws IOException {
        messages = open();
    }

    @Test
    void put_thenOpen_returnsSameBytes() throws IOException {
        byte[] content = "sealed".getBytes();
        assertEquals(6, messages.put("abc", new ByteArrayInputStream(content), 100));
        try (InputStream in = messages.open("abc")) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertEquals(List.of("abc"), messages.keysOlderThan(Instant.now().plusSeconds(60)));
        assertEquals(1, stored().size());
    }

    @Test
    void put_overLimit_throwsAndStoresNothing() throws IOException {
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> messages.put("abc", new ByteArrayInputStream(new byte[101]), 100));
        assertEquals(100, e.limit());
        assertEquals(List.of(), stored());
    }

    @Test
    void put_failingStream_storesNothing() throws IOException {
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
        assertEquals(List.of(), stored());
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
        assertEquals(List.of(), messages.keysOlderThan(Instant.now().plusSeconds(60)));
        assertEquals(List.of(), stored());
    }

    @Test
    void keysOlderThan_sparesYoungerMessages() throws IOException {
        messages.put("abc", new ByteArrayInputStream(new byte[] {1}), 10);
        assertEquals(List.of(), messages.keysOlderThan(Instant.now().minusSeconds(3600)));
    }

    @Test
    void keys_withPathCharacters_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> messages.open("../relay.db"));
        assertThrows(IllegalArgumentException.class, () -> messages.put("a/b", InputStream.nullInputStream(), 1));
    }
}
