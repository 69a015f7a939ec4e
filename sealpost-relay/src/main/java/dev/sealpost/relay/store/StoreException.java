package dev.sealpost.relay.store;

/**
 * The metadata database failed (connection lost, disk full, constraint broken). Unchecked,
 * like JDBI's and Spring's data-access exceptions: callers cannot fix it, the relay answers
 * 500 and logs it. Messages carry no secrets: statements bind token hashes, never tokens.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was being done
     * @param cause   the driver's exception
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
