package dev.sealpost.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzz target for file names that come inside a message: whatever the name, the result is one
 * plain component (or a few, for a relative path) that stays inside the output folder.
 * Seeds: SafeNamesFuzzTestInputs/names/ (UTF-8 text).
 */
class SafeNamesFuzzTest {
    private static final Path OUT = tempDir();

    @FuzzTest
    void names(byte[] bytes) throws IOException {
        String untrusted = new String(bytes, StandardCharsets.UTF_8);
        String name = SafeNames.sanitize(untrusted, "fallback.bin");
        checkComponent(name);

        List<String> parts = SafeNames.relative(untrusted, "fallback.bin");
        assertFalse(parts.isEmpty());
        assertTrue(parts.size() <= SafeNames.MAX_DEPTH, "too deep: " + parts.size());
        parts.forEach(SafeNamesFuzzTest::checkComponent);

        Set<String> taken = new HashSet<>();
        Path first = SafeNames.freePath(OUT, name, taken);
        Path second = SafeNames.freePath(OUT, name, taken);
        assertEquals(OUT, first.getParent());
        assertEquals(OUT, second.getParent());
        assertFalse(first.equals(second), "two files of one message got the same path");
    }

    private static void checkComponent(String c) {
        assertFalse(c.isEmpty(), "empty name");
        assertFalse(c.startsWith("."), () -> "hidden or parent name: " + c);
        assertFalse(c.contains("/") || c.contains("\\"), () -> "separator in " + c);
        assertFalse(c.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f), () -> "control character in " + c);
        assertTrue(c.getBytes(StandardCharsets.UTF_8).length <= 200, () -> "too long: " + c.length());
        assertEquals(c, Path.of(c).getFileName().toString(), () -> "not one path component: " + c);
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("safenames-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
