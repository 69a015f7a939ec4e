package dev.sealpost.relay.store;

/**
 * The metadata database failed (connection lost, disk full, constraint broken). Unchecked,
 * like JDBI's and Spring's data-access exceptions: callers cannot fix it, the relay answers
 * 500 and logs it, or 507 with {@code Retry-After} if {@link #diskFull()}. Messages carry no
 * secrets: statements bind token hashes, never tokens.
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

    /**
     * @return true if the database could not write because its disk is full: SQLite's
     *         {@code SQLITE_FULL} (result code 13), PostgreSQL's {@code disk_full} (SQLSTATE
     *         53100), or an I/O error saying so, anywhere in the cause chain. Such a failure
     *         goes away by itself once space returns.
     */
    public boolean diskFull() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s
                    && ("53100".equals(s.getSQLState())
                        || (s.getClass().getName().startsWith("org.sqlite.") && (s.getErrorCode() & 0xff) == 13))) {
                return true;
            }
            if (t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }
}
