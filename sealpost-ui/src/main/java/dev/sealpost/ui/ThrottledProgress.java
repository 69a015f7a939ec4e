package dev.sealpost.ui;

import dev.sealpost.client.Progress;

/**
 * Progress of a job passed on to the page as {@code progress} events ({@link UiJson.ProgressEvent}):
 * at most one per step every 100 ms, and always the last, so that a fast transfer of many
 * small segments does not flood the event stream.
 */
final class ThrottledProgress {
    private static final long EVERY_NANOS = 100_000_000L;

    private ThrottledProgress() {}

    /** @return progress that reports each step of {@code job} to {@code events} */
    static Progress of(UiEvents events, String job) {
        return (label, total) -> new Progress.Task() {
            private long last;

            @Override
            public void update(long doneBytes) {
                long now = System.nanoTime();
                if (doneBytes >= total || now - last > EVERY_NANOS) {
                    last = now;
                    events.publish("progress", new UiJson.ProgressEvent(job, label, doneBytes, total));
                }
            }

            @Override
            public void close() {}
        };
    }
}
