package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sealed-message contract on a folder, and what is particular to files. */
class FileSealedMessageStoreTest extends SealedMessageStoreContract {
    @TempDir
    Path dir;

    @Override
    SealedMessageStore open() throws IOException {
        return Stores.sealedMessages(dir);
    }

    @Override
    List<String> stored() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList();
        }
    }

    @Test
    void aMessageIsOneFileNamedByItsKey_readableByTheOwnerOnly() throws IOException {
        messages.put("abc", new ByteArrayInputStream(new byte[] {1}), 10);
        assertEquals(List.of("abc"), stored());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("abc"))));
    }

    /** Several 64 KiB copy buffers, written at the right offsets and read back in pieces of any size. */
    @Test
    void aMessageOfSeveralBuffers_readsBackByteForByte_inPiecesOfAnySize() throws IOException {
        byte[] content = new byte[200_001];
        new Random(7).nextBytes(content);
        assertEquals(content.length, messages.put("big", new ByteArrayInputStream(content), content.length));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (InputStream in = messages.open("big")) {
            back.write(in.read());
            byte[] piece = new byte[7_919];
            for (int n; (n = in.read(piece, 3, piece.length - 3)) != -1; ) {
                back.write(piece, 3, n);
            }
            assertEquals(-1, in.read(), "still at the end");
            assertEquals(0, in.read(piece, 0, 0));
        }
        assertArrayEquals(content, back.toByteArray());
    }

    /**
     * The files are opened without the JDK's Cleaner, so nothing closes them but {@code close}:
     * thousands of sends and fetches must leave no descriptor open.
     */
    @Test
    void sendsAndFetches_leaveNoFileDescriptorOpen() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc (Linux)");
        long before = count(fds);
        for (int i = 0; i < 2_000; i++) {
            messages.put("m" + i, new ByteArrayInputStream(new byte[] {(byte) i}), 10);
            try (InputStream in = messages.open("m" + i)) {
                assertEquals(i & 0xff, in.read());
            }
        }
        assertEquals(2_000, stored().size());
        assertTrue(count(fds) - before < 50, "descriptors open: " + before + " before, " + count(fds) + " after");
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void open_removesLeftoverTemporaryFiles() throws IOException {
        Files.write(dir.resolve("tmp").resolve("upload-1.part"), new byte[10]);
        Stores.sealedMessages(dir);
        assertEquals(List.of(), stored());
    }
}
