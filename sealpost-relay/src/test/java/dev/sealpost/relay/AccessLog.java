package dev.sealpost.relay;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what a logger writes, in tests: each event as its logger name, message and
 * key-value pairs ({@code dev.sealpost.relay.access request method=GET route=/v1/health ...}),
 * with the message of a logged exception.
 */
final class AccessLog implements AutoCloseable {
    static final String ACCESS = "dev.sealpost.relay.access";
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger logger;

    /** @param loggerName the logger to capture, e.g. {@link #ACCESS} or the root logger's name */
    AccessLog(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        captured.start();
        logger.addAppender(captured);
    }

    /** @return every captured event as one line */
    List<String> lines() {
        synchronized (captured) { // AppenderBase appends under this lock, from Jetty's threads
            return captured.list.stream().map(AccessLog::line).toList();
        }
    }

    /** @return the lines of the access log, without the logger name and message: {@code method=GET route=... } */
    List<String> accessLines() {
        String prefix = ACCESS + " request ";
        return lines().stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    /** Jetty logs a request when it completes, which may be just after the client has the answer: waits up to 10 s. */
    List<String> awaitAccess(Predicate<List<String>> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.test(accessLines())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the access log never got there: " + accessLines());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return accessLines();
    }

    /** Waits (up to 10 s) for an access line matching {@code regex}. */
    void awaitAccessLine(String regex) {
        awaitAccess(lines -> lines.stream().anyMatch(l -> l.matches(regex)));
    }

    private static String line(ILoggingEvent e) {
        String kv = e.getKeyValuePairs() == null ? "" : e.getKeyValuePairs().stream()
                .map(p -> p.key + "=" + p.value).collect(Collectors.joining(" ", " ", ""));
        return e.getLoggerName() + " " + e.getFormattedMessage() + kv
                + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage());
    }

    @Override
    public void close() {
        logger.detachAppender(captured);
    }
}
