package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
    void aMessageIsOneFileNamedByItsKey() throws IOException {
        messages.put("abc", new ByteArrayInputStream(new byte[] {1}), 10);
        assertEquals(List.of("abc"), stored());
    }

    @Test
    void open_removesLeftoverTemporaryFiles() throws IOException {
        Files.write(dir.resolve("tmp").resolve("upload-1.part"), new byte[10]);
        Stores.sealedMessages(dir);
        assertEquals(List.of(), stored());
    }
}
