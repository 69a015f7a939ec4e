package dev.sealpost.client;

import java.util.concurrent.CancellationException;

/**
 * Lets a caller (a user interface's cancel button, a signal handler) stop a running send,
 * seal, receive or open from another thread. Work checks it at every progress update, which
 * the pipelines make at least once per 1 MiB segment, so a transfer stops within a segment;
 * it then fails with {@link Cancelled} and leaves what a failure leaves: nothing delivered or
 * saved, and a send's uploads resumable by the same send run again.
 */
public final class Cancellation {
    private volatile boolean cancelled;

    /** The work was cancelled through its {@link Cancellation}. */
    public static final class Cancelled extends CancellationException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled");
        }
    }

    /** Asks the work to stop; safe from any thread, any number of times. */
    public void cancel() {
        cancelled = true;
    }

    /** @return true once {@link #cancel()} was called */
    public boolean isCancelled() {
        return cancelled;
    }

    /** @throws Cancelled if {@link #cancel()} was called */
    public void check() {
        if (cancelled) {
            throw new Cancelled();
        }
    }

    /**
     * @param progress where the work reports
     * @return progress that reports to {@code progress} and throws {@link Cancelled} from
     *         {@link Progress#start} and {@link Progress.Task#update} once this is cancelled
     */
    public Progress guard(Progress progress) {
        return (label, total) -> {
            check();
            Progress.Task task = progress.start(label, total);
            return new Progress.Task() {
                @Override
                public void update(long doneBytes) {
                    check();
                    task.update(doneBytes);
                }

                @Override
                public void close() {
                    task.close();
                }
            };
        };
    }
}
