package dev.sealpost.ui;

import dev.sealpost.client.Opened;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Inbox's opened letters, kept for their attachments at full size: least recently used
 * first, at most a given number of bytes of attachments in all, so that the UI's heap stays
 * bounded whatever the inbox holds. The letter just put is kept whatever its size. Thread-safe.
 */
final class LetterCache {
    private final long maxBytes;
    private final LinkedHashMap<String, Opened> letters = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** @param maxBytes most bytes of attachments kept; positive */
    LetterCache(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the cache needs room: " + maxBytes + " bytes");
        }
        this.maxBytes = maxBytes;
    }

    /** @return the letter of message {@code id}, now the most recently used; null if not kept (never put, or evicted) */
    synchronized Opened get(String id) {
        return letters.get(id);
    }

    /** Keeps {@code letter} as the most recently used, evicting the least recently used others while over the bound. */
    synchronized void put(String id, Opened letter) {
        remove(id);
        letters.put(id, letter);
        bytes += size(letter);
        Iterator<Map.Entry<String, Opened>> eldest = letters.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<String, Opened> e = eldest.next();
            if (e.getKey().equals(id)) {
                break;
            }
            bytes -= size(e.getValue());
            eldest.remove();
        }
    }

    /** Forgets one letter, if kept. */
    synchronized void remove(String id) {
        Opened old = letters.remove(id);
        if (old != null) {
            bytes -= size(old);
        }
    }

    /** Forgets every letter. */
    synchronized void clear() {
        letters.clear();
        bytes = 0;
    }

    /** @return bytes of attachments kept now */
    synchronized long bytes() {
        return bytes;
    }

    private static long size(Opened o) {
        return o.letter().attachments().stream().mapToLong(a -> a.bytes().length).sum();
    }
}
