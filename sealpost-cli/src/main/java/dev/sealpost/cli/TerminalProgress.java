package dev.sealpost.cli;

import dev.sealpost.client.Progress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars (bytes, rate, ETA) on standard error, shown only when it is a terminal and the
 * command is not quiet; otherwise {@link Progress#NONE}.
 */
final class TerminalProgress implements Progress {
    /** Transfers smaller than this are not worth a bar, in bytes. */
    private static final long MIN_BYTES = 8L << 20;

    private TerminalProgress() {}

    /** @return bars on a terminal, unless {@code quiet} */
    static Progress of(boolean quiet) {
        java.io.Console console = System.console();
        if (quiet || console == null || !console.isTerminal()) {
            return Progress.NONE;
        }
        return new TerminalProgress();
    }

    @Override
    public Task start(String label, long totalBytes) {
        if (totalBytes < MIN_BYTES) {
            return Progress.NONE.start(label, totalBytes);
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(Terminal.printable(label)).setInitialMax(totalBytes)
                .setUnit(" MB", 1_000_000).showSpeed().setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200).continuousUpdate().build();
        return new Task() {
            @Override
            public void update(long doneBytes) {
                bar.stepTo(doneBytes);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
