package dev.sealpost.client;

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

    boolean contains(String messageId) {
        return seen.contains(messageId);
    }

    void add(String messageId) throws IOException {
        if (seen.add(messageId)) {
            Files.createDirectories(home.root());
            Files.writeString(home.receivedLog(), messageId.replaceAll("\\s", "") + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
    }
}
