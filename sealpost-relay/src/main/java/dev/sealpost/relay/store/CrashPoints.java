package dev.sealpost.relay.store;

import java.io.IOException;
import java.util.List;

/**
 * Named points between the relay's durable steps, where a crash test kills the relay with
 * SIGKILL (no shutdown hooks, nothing flushed) to check that it recovers at each: the
 * "failpoints" of etcd and TiKV, reduced to one kind of failure. Off unless the system property
 * {@value #PROPERTY} names a point when the relay's classes load; reaching that point then
 * kills the JVM. Costs one comparison with {@code null} per point otherwise.
 */
public final class CrashPoints {
    /** The system property naming the point to crash at. */
    public static final String PROPERTY = "sealpost.relay.crash-at";
    /** A PATCH's bytes are written, not yet forced to disk. */
    public static final String UPLOAD_WRITTEN = "upload.written";
    /** A PATCH's bytes are forced, their offset not yet recorded. */
    public static final String UPLOAD_FORCED = "upload.forced";
    /** A PATCH's new offset is recorded, not yet answered. */
    public static final String UPLOAD_RECORDED = "upload.recorded";
    /** A message's bytes are written and forced to a temporary file, not yet renamed into place. */
    public static final String MESSAGE_WRITTEN = "message.written";
    /** A message's file is in place, its row not yet committed. */
    public static final String MESSAGE_RENAMED = "message.renamed";
    /** A message's row is committed, not yet answered 201. */
    public static final String MESSAGE_COMMITTED = "message.committed";
    /** The last recipient's acknowledgement is committed, the message's files not yet deleted. */
    public static final String ACK_COMMITTED = "ack.committed";
    /** A terminated upload's file is deleted, its row not yet. */
    public static final String UPLOAD_FILE_DELETED = "upload.file-deleted";
    /** Every point, in the order a send and its receipt pass them. */
    public static final List<String> ALL = List.of(UPLOAD_WRITTEN, UPLOAD_FORCED, UPLOAD_RECORDED,
            MESSAGE_WRITTEN, MESSAGE_RENAMED, MESSAGE_COMMITTED, ACK_COMMITTED, UPLOAD_FILE_DELETED);

    private static final String AT = System.getProperty(PROPERTY);

    private CrashPoints() {}

    /** Kills this JVM with SIGKILL if {@code point} is the one {@value #PROPERTY} names; else returns. */
    public static void reach(String point) {
        if (AT != null && AT.equals(point)) {
            try {
                new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
            } catch (IOException | InterruptedException e) {
                // no kill(1): halting skips shutdown hooks and finalization just the same
            }
            Runtime.getRuntime().halt(137);
        }
    }
}
