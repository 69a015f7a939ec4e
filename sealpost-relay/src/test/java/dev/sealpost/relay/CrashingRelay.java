package dev.sealpost.relay;

import java.nio.file.Path;
import java.util.Base64;

/**
 * A relay in a JVM of its own, for {@link CrashRecoveryTest} to kill: {@code DATA_DIR}, port 0.
 * Prints {@code READY PORT BASE64-DER-CERTIFICATE} on one line once it listens, then runs until
 * killed (or until {@link dev.sealpost.relay.store.CrashPoints} kills it).
 */
final class CrashingRelay {
    private CrashingRelay() {}

    public static void main(String[] args) throws Exception {
        RelayServer relay = RelayServer.start(RelayConfig.defaults(Path.of(args[0])).withPort(0));
        System.out.println("READY " + relay.port() + " " + Base64.getEncoder().encodeToString(relay.certificate().getEncoded()));
        System.out.flush();
        Thread.currentThread().join();
    }
}
