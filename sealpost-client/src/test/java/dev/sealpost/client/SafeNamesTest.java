package dev.sealpost.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeNamesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../../etc/passwd|passwd",
        "..\\..\\windows\\win.ini|win.ini",
        "/abs/path/photo.png|photo.png",
        ".bashrc|bashrc",
        "..|fallback.png",
        "''|fallback.png",
        "CON.txt|fallback.png",
        "a<b>c:d|a_b_c_d",
        "trailing. . .|trailing",
        "ok name.jpg|ok name.jpg",
    })
    void sanitize_hostileNames_becomePlainNames(String in, String expected) {
        assertEquals(expected, SafeNames.sanitize(in, "fallback.png"));
    }

    @Test
    void sanitize_controlAndBidiCharacters_replaced() {
        String s = SafeNames.sanitize("evil\u0000\u202Egnp.exe", "f");
        assertFalse(s.chars().anyMatch(c -> c < 0x20 || c == 0x202E), s);
    }

    @Test
    void sanitize_longName_keepsExtensionWithin200Bytes() {
        String s = SafeNames.sanitize("x".repeat(500) + ".png", "f");
        assertEquals(200, s.length());
        assertTrue(s.endsWith(".png"));
    }

    @Test
    void sanitize_longMultibyteName_cutsBetweenCodePointsWithinByteLimit() {
        String emoji = "\uD83C\uDF0A"; // one code point, two chars, four UTF-8 bytes
        for (String name : List.of("写真".repeat(150) + ".jpg", "a" + emoji.repeat(100) + ".png")) {
            String s = SafeNames.sanitize(name, "f");
            assertTrue(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 200, s);
            assertTrue(s.codePoints().noneMatch(cp -> Character.isSurrogate((char) cp)), "no half code point: " + s);
            assertTrue(s.endsWith(name.substring(name.lastIndexOf('.'))), s);
        }
    }

    @Test
    void freePath_namesDifferingOnlyInCase_getDistinctFiles(@TempDir Path dir) throws IOException {
        Set<String> taken = new HashSet<>();
        Path a = SafeNames.freePath(dir, "IMG.png", taken);
        Path b = SafeNames.freePath(dir, "img.png", taken);
        assertEquals(dir.resolve("img-1.png"), b, "case-insensitive file systems would merge them: " + a);
    }

    @Test
    void freePath_existingAndTakenNames_getSuffixes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.png"), "old");
        Set<String> taken = new HashSet<>();
        Path first = SafeNames.freePath(dir, "a.png", taken);
        Path second = SafeNames.freePath(dir, "a.png", taken);
        assertEquals(List.of(dir.resolve("a-1.png"), dir.resolve("a-2.png")), List.of(first, second));
    }

    @org.junit.jupiter.api.Test
    void relative_keepsSafeFoldersAndDropsEscapes() {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("scans", "2026", "ct.dcm"),
                SafeNames.relative("scans/2026/ct.dcm", "f"));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("etc", "passwd"), SafeNames.relative("/../etc/./passwd", "f"));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("a", "b"), SafeNames.relative("a\\..\\b", "f"));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("f"), SafeNames.relative("../..//", "f"));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("bashrc"), SafeNames.relative("../.bashrc", "f"));
        java.util.List<String> deep = SafeNames.relative("a/".repeat(40) + "z.txt", "f");
        org.junit.jupiter.api.Assertions.assertEquals(SafeNames.MAX_DEPTH, deep.size());
    }
}
