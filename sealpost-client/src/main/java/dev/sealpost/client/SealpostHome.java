package dev.sealpost.client;

import java.nio.file.Path;
import java.util.Map;

/**
 * The folder that holds one person's sealpost state, {@code $SEALPOST_HOME} or
 * {@code ~/.sealpost}:
 * <pre>
 * identity/        the key pairs and certificates (IdentityFiles)
 * relay.json       the relay's URL, its pinned TLS fingerprint and the account name
 * session.json     the current bearer token and its expiry (mode 0600)
 * contacts.json    pinned certificates of other people
 * received.log     Message-IDs already received (replay detection)
 * uploads/         journal of uploads in progress, for resuming a send (UploadJournal)
 * downloads/       partial downloads, for resuming a receive (RelayBlobSource)
 * </pre>
 *
 * Every file here is written whole or not at all ({@link dev.sealpost.crypto.AtomicFiles}).
 *
 * @param root the folder
 */
public record SealpostHome(Path root) {

    /**
     * @param env the process environment (or a test's)
     * @return {@code $SEALPOST_HOME} if set, else {@code ~/.sealpost}
     */
    public static SealpostHome from(Map<String, String> env) {
        String configured = env.get("SEALPOST_HOME");
        if (configured != null && !configured.isBlank()) {
            return new SealpostHome(Path.of(configured).toAbsolutePath());
        }
        return new SealpostHome(Path.of(System.getProperty("user.home"), ".sealpost"));
    }

    /** @return the identity folder */
    public Path identityDir() {
        return root.resolve("identity");
    }

    /** @return relay.json */
    public Path relayFile() {
        return root.resolve("relay.json");
    }

    /** @return session.json */
    public Path sessionFile() {
        return root.resolve("session.json");
    }

    /** @return contacts.json */
    public Path contactsFile() {
        return root.resolve("contacts.json");
    }

    /** @return received.log */
    public Path receivedLog() {
        return root.resolve("received.log");
    }

    /** @return the folder of upload journal entries ({@link UploadJournal}) */
    public Path uploadsDir() {
        return root.resolve("uploads");
    }

    /** @return the folder of partial downloads */
    public Path downloadsDir() {
        return root.resolve("downloads");
    }
}
