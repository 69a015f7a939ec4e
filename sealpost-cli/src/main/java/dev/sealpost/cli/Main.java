package dev.sealpost.cli;

/** Entry point of the sealpost program. */
public final class Main {
    private Main() {}

    /** Runs sealpost with the given arguments. */
    public static void main(String[] args) {
        System.out.println("sealpost");
    }
}
