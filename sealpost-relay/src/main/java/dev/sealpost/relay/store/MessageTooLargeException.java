package dev.sealpost.relay.store;

import java.io.IOException;

/** A sealed message was longer than the limit it was written with; nothing was kept. */
public final class MessageTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    /** @param limit the limit in bytes that was exceeded */
    public MessageTooLargeException(long limit) {
        super("message larger than " + limit + " bytes");
        this.limit = limit;
    }

    /** @return the limit in bytes that was exceeded */
    public long limit() {
        return limit;
    }
}
