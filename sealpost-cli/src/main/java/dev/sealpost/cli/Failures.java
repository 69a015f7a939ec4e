package dev.sealpost.cli;

import dev.sealpost.client.relay.RelayException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import picocli.CommandLine;

/**
 * Turns every failure into one line on standard error and an exit code (see {@link Main});
 * a stack trace only when {@code SEALPOST_DEBUG} is set.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    static final int ERROR = 1;
    static final int USAGE = 2;
    static final int SECURITY = 3;
    static final int RELAY = 4;
    static final int INTERNAL = 70;

    private final Ctx ctx;

    Failures(Ctx ctx) {
        this.ctx = ctx;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e instanceof Deferred d ? d.getCause() : e;
        int code = codeFor(t);
        ctx.err().println("sealpost: " + message(t));
        if (ctx.env().containsKey("SEALPOST_DEBUG")) {
            t.printStackTrace(ctx.err());
        }
        ctx.err().flush();
        return code;
    }

    static int usage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr().println("sealpost: " + e.getMessage());
        cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        cl.getErr().flush();
        return USAGE;
    }

    static int codeFor(Throwable t) {
        if (t instanceof RelayException.Untrusted || t instanceof GeneralSecurityException) {
            return SECURITY;
        }
        if (t instanceof RelayException) {
            return RELAY;
        }
        if (t instanceof UserException u) {
            return u.code;
        }
        if (t instanceof IOException || t instanceof IllegalArgumentException) {
            return ERROR;
        }
        return INTERNAL;
    }

    static String message(Throwable t) {
        if (t instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (t instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (t instanceof FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        String m = t.getMessage();
        if (t instanceof RelayException r && r.is(401) && m != null && m.contains("token")) {
            return oneLine(m) + ": run sealpost login";
        }
        if (codeFor(t) == INTERNAL) {
            return "internal error: " + t.getClass().getSimpleName() + (m == null ? "" : ": " + oneLine(m))
                    + " (set SEALPOST_DEBUG=1 for details)";
        }
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : oneLine(m);
    }

    /** One line, control characters (ESC, bidi overrides) neutralised: messages can quote relay or message text. */
    private static String oneLine(String s) {
        return Terminal.printable(s.replaceAll("\\s+", " ").strip());
    }

    /** Carries a checked failure out of a callback that cannot throw one (a progress update). */
    static final class Deferred extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Deferred(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** A failure the command detected itself, with its exit code and one-line message. */
    static final class UserException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        UserException(int code, String message) {
            super(message);
            this.code = code;
        }
    }
}
