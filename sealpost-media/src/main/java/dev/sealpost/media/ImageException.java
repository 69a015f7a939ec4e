package dev.sealpost.media;

import java.io.IOException;
import java.util.Objects;

/**
 * An image could not be read, recognised or prepared. The message is one line of the form
 * {@code "FILE: REASON"}, for example {@code "a.png: not an image (unrecognised content)"}.
 */
public class ImageException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String reason;

    /**
     * @param file   the file name as the user gave it
     * @param reason why it failed, one line
     */
    public ImageException(String file, String reason) {
        this(file, reason, null);
    }

    /**
     * @param file   the file name as the user gave it
     * @param reason why it failed, one line
     * @param cause  the underlying failure, or null
     */
    public ImageException(String file, String reason, Throwable cause) {
        super(oneLine(file) + ": " + oneLine(reason), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return the file name as the user gave it */
    public String file() {
        return file;
    }

    /** @return why it failed, without the file name */
    public String reason() {
        return reason;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
    }
}
