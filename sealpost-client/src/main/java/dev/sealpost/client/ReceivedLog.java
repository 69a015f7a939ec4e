package dev.sealpost.client;

import dev.sealpost.crypto.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The Message-IDs a person has already received (received.log, one per line), so that a
 * relay replaying an old, validly signed message is noticed (RFC 9788 header protection
 * makes the Message-ID part of what is signed).
 */
final class ReceivedLog {
    private final SealpostHome home;
    private final Set<String> seen;

    private ReceivedLog(SealpostHome home, Set<String> seen) {
        this.home = home;
        this.seen = seen;
    }

    static ReceivedLog load(SealpostHome home) throws IOException {
        try {
            return new ReceivedLog(home, new HashSet<>(Files.readAllLines(home.receivedLog(), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return new ReceivedLog(home, new HashSet<>());
        }
    }

    /** The log's key: the signed sender and Message-ID, so one sender cannot shadow another's ids. */
    private static String key(String sender, String messageId) {
        return sender + " " + messageId.replaceAll("\\s", "");
    }

    boolean contains(String sender, String messageId) {
        return seen.contains(key(sender, messageId));
    }

    void add(String sender, String messageId) throws IOException {
        String k = key(sender, messageId);
        if (seen.add(k)) {
            Files.createDirectories(home.root());
            boolean created = Files.notExists(home.receivedLog());
            Files.writeString(home.receivedLog(), k + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            if (created) {
                AtomicFiles.setPermissions(home.receivedLog(), AtomicFiles.OWNER_ONLY);
            }
        }
    }
}
