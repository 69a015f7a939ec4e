package dev.sealpost.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

        assertEquals(List.of(out.resolve("escape.png"), out.resolve("x"), out.resolve("escape-1.png")),
                saved.stream().map(p -> out.resolve(p.getFileName())).toList());
        for (Path p : saved) {
            assertEquals(out.toRealPath(), p.getParent());
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
}
