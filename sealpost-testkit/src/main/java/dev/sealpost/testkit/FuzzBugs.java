package dev.sealpost.testkit;

/**
 * For fuzz targets: an API that turns every unchecked exception of its parser into a checked
 * one (as {@code Smime.decrypt} does with Bouncy Castle's) would also hide a bug of sealpost's
 * own. This finds one: an exception of a kind that only a programming error throws, raised in
 * a frame of sealpost's code, anywhere in the cause chain.
 */
public final class FuzzBugs {
    private FuzzBugs() {}

    /** Throws {@code caught}'s bug-kind cause, if any, wrapped in an AssertionError; returns otherwise. */
    public static void rethrowOurs(Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (bugKind(t) && thrownBySealpost(t)) {
                throw new AssertionError("sealpost bug hidden behind " + caught.getClass().getSimpleName(), t);
            }
        }
    }

    private static boolean bugKind(Throwable t) {
        return t instanceof NullPointerException || t instanceof IndexOutOfBoundsException
                || t instanceof ClassCastException || t instanceof ArithmeticException
                || t instanceof NegativeArraySizeException || t instanceof ArrayStoreException
                || t instanceof IllegalStateException;
    }

    /**
     * The first frame outside the JDK's public API is sealpost's: an index or null check in
     * {@code java.util} (or its {@code Preconditions}) reports our bad argument. A frame of
     * the JDK's own implementation first ({@code sun.*}, {@code com.sun.*}, {@code jdk.internal.*})
     * means the JDK's parser threw it: not ours (JDK 25's X.509 parser throws
     * ArrayIndexOutOfBoundsException on an empty KeyUsage, which sealpost reports as malformed).
     */
    private static boolean thrownBySealpost(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            String c = e.getClassName();
            if (c.startsWith("jdk.internal.util.Preconditions") || c.startsWith("jdk.internal.reflect.")) {
                continue;
            }
            if (c.startsWith("sun.") || c.startsWith("com.sun.") || c.startsWith("jdk.")) {
                return false;
            }
            if (c.startsWith("java.") || c.startsWith("javax.")) {
                continue;
            }
            return c.startsWith("dev.sealpost.");
        }
        return false;
    }
}
