package dev.sealpost.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sealpost.client.Attachment;
import dev.sealpost.client.Letter;
import dev.sealpost.client.Opened;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Inbox's bound on decrypted attachments kept in memory. */
class LetterCacheTest {
    /** A letter whose attachments hold {@code sizes} bytes. */
    static Opened letter(int... sizes) {
        List<Attachment> attachments = java.util.Arrays.stream(sizes)
                .mapToObj(n -> new Attachment("f" + n + ".bin", "application/octet-stream", new byte[n])).toList();
        Letter l = Letter.compose("bob", List.of("alice"), "s", "t", attachments, Instant.EPOCH);
        return new Opened(l, "bob", null, Instant.EPOCH);
    }

    @Test
    void overTheBound_theLeastRecentlyUsedGo() {
        LetterCache cache = new LetterCache(100);
        Opened a = letter(40);
        Opened b = letter(30, 10);
        Opened c = letter(30);
        cache.put("a", a);
        cache.put("b", b);
        assertEquals(80, cache.bytes());
        assertSame(a, cache.get("a")); // a is now more recent than b
        cache.put("c", c);
        assertNull(cache.get("b"), "b was the least recently used");
        assertSame(a, cache.get("a"));
        assertSame(c, cache.get("c"));
        assertEquals(70, cache.bytes());
    }

    @Test
    void aLetterLargerThanTheBound_isKept_andTheOthersGo() {
        LetterCache cache = new LetterCache(100);
        cache.put("a", letter(50));
        cache.put("huge", letter(500));
        assertNull(cache.get("a"));
        assertNotNull(cache.get("huge"), "the letter just opened is shown whatever its size");
        assertEquals(500, cache.bytes());
        cache.put("b", letter(10));
        assertNull(cache.get("huge"));
        assertEquals(10, cache.bytes());
    }

    @Test
    void putAgain_remove_andClear_keepTheCountRight() {
        LetterCache cache = new LetterCache(100);
        cache.put("a", letter(40));
        cache.put("a", letter(20));
        assertEquals(20, cache.bytes());
        cache.put("b", letter(30));
        cache.remove("a");
        cache.remove("missing");
        assertEquals(30, cache.bytes());
        cache.clear();
        assertEquals(0, cache.bytes());
        assertNull(cache.get("b"));
        assertThrows(IllegalArgumentException.class, () -> new LetterCache(0));
    }
}
