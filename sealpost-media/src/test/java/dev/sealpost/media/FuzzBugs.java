package dev.sealpost.media;

/**
 * For fuzz targets: an API that turns every unchecked exception of its parser into a checked
 * one (as {@link Probe} does with ImageIO's) would also hide a bug of sealpost's
 * own. This finds one: an exception of a kind that only a programming error throws, raised in
 * a frame of sealpost's code, anywhere in the cause chain.
 */
final class FuzzBugs {
    private FuzzBugs() {}

    /** Throws {@code caught}'s bug-kind cause, if any, wrapped in an AssertionError; returns otherwise. */
    static void rethrowOurs(Throwable caught) {
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

    /** The first frame outside the JDK is sealpost's. */
    private static boolean thrownBySealpost(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            String c = e.getClassName();
            if (c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
                continue;
            }
            return c.startsWith("dev.sealpost.");
        }
        return false;
    }
}
