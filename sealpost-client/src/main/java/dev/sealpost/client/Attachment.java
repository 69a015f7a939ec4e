package dev.sealpost.client;

import java.util.Objects;

/**
 * One file carried inside a letter.
 *
 * @param filename  the name as the sender gave it; never used as a path without {@link SafeNames}
 * @param mediaType e.g. {@code image/png}
 * @param bytes     the content, exactly as signed
 */
public record Attachment(String filename, String mediaType, byte[] bytes) {
    /** @throws NullPointerException if any component is null */
    public Attachment {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(bytes, "bytes");
    }

    /** @return the content length in bytes */
    public long size() {
        return bytes.length;
    }
}
