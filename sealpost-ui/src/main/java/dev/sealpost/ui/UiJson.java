package dev.sealpost.ui;

/** The JSON bodies of the UI server's {@code /api/} routes (Jackson records). */
final class UiJson {
    private UiJson() {}

    /** An error: {@code {"error":"one line"}}, as the relay's. */
    record Problem(String error) {}

    /** What the page asks for first: the CSRF token it must send with every change. */
    record SessionInfo(String csrf) {}

    /**
     * What the page shows in its header and which screen it starts on.
     *
     * @param name        the identity's account name
     * @param fingerprint its signing certificate's SHA-256 fingerprint ({@code SHA256:hex})
     * @param unlocked    whether the keys are unlocked in this server's memory
     * @param idleLockSeconds after how long without use the keys lock again
     */
    record State(String name, String fingerprint, boolean unlocked, long idleLockSeconds) {}

    /** {@code POST /api/unlock}: the passphrase, in the body (never in a URL or a log). */
    record UnlockRequest(String passphrase) {
        @Override
        public String toString() {
            return "UnlockRequest[REDACTED]";
        }
    }
}
