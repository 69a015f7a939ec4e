package dev.sealpost.client;

/**
 * Where long transfers report how far they are: bytes done out of a known total. The command
 * line shows a bar with bytes, rate and ETA on a terminal; {@link #NONE} shows nothing.
 * Implementations must accept calls from any thread.
 */
@FunctionalInterface
public interface Progress {
    /** One running transfer. */
    interface Task extends AutoCloseable {
        /** @param doneBytes bytes done so far (monotonic; a resumed transfer starts above 0) */
        void update(long doneBytes);

        /** Ends the display of this task. */
        @Override
        void close();
    }

    /**
     * @param label      what is being done, e.g. {@code "upload video.mp4"}
     * @param totalBytes the total, in bytes
     * @return the task to update
     */
    Task start(String label, long totalBytes);

    /** Reports nothing. */
    Progress NONE = (label, total) -> new Task() {
        @Override
        public void update(long doneBytes) {}

        @Override
        public void close() {}
    };
}
