package dev.sealpost.relay.store;

import java.io.IOException;

/**
 * A store could not write, force or rename its own file (a full or failing disk), as opposed
 * to a failure reading what it was given (a client that went away). Nothing was stored; the
 * relay answers 507 with {@code Retry-After} and logs the cause at ERROR.
 */
public final class StoreWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param cause the file system's error */
    public StoreWriteException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
