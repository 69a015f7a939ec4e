package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CompressionTest {

    @ParameterizedTest
    @CsvSource({
        "lossless, LOSSLESS, 0",
        "none, NONE, 0",
        "jpeg, JPEG, 85",
        "jpeg:1, JPEG, 1",
        "jpeg:100, JPEG, 100",
        "jpeg:070, JPEG, 70",
        "JPEG:50, JPEG, 50",
        "'  Lossless ', LOSSLESS, 0"
    })
    void parse_validText_accepted(String text, Compression.Mode mode, int quality) {
        assertEquals(new Compression(mode, quality), Compression.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "png", "webp", "jpeg:", "jpeg:0", "jpeg:101", "jpeg:-5", "jpeg:abc", "jpeg:85:1",
        "jpeg:1000", "lossless:9", "none:1", "jpeg 85", "jpg"})
    void parse_invalidText_rejectedWithOneLineMessage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compression.parse(text));

        assertFalse(e.getMessage().isBlank());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void parse_unknownMode_messageListsTheModes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compression.parse("webp"));

        assertEquals("unknown compression 'webp': use lossless, jpeg, jpeg:QUALITY (1-100) or none", e.getMessage());
    }

    @Test
    void parse_badQuality_messageNamesTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compression.parse("jpeg:0"));

        assertEquals("invalid JPEG quality '0': use a whole number from 1 to 100", e.getMessage());
    }

    @Test
    void parse_controlCharacters_notEchoed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compression.parse("a\nb"));

        assertTrue(e.getMessage().startsWith("unknown compression 'a?b'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lossless", "none", "jpeg:85", "jpeg:1"})
    void toString_isTheParsedText(String text) {
        assertEquals(text, Compression.parse(text).toString());
    }

    @Test
    void defaultMode_isLossless() {
        assertEquals(Compression.Mode.LOSSLESS, Compression.defaultMode().mode());
    }

    @Test
    void constructor_qualityOutOfRange_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new Compression(Compression.Mode.JPEG, 0));
        assertThrows(IllegalArgumentException.class, () -> new Compression(Compression.Mode.JPEG, 101));
        assertThrows(IllegalArgumentException.class, () -> new Compression(Compression.Mode.LOSSLESS, 85));
        assertThrows(NullPointerException.class, () -> new Compression(null, 0));
    }
}
