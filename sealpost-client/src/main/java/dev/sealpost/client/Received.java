package dev.sealpost.client;

import dev.sealpost.protocol.MessageSummary;
import java.nio.file.Path;
import java.util.List;

/**
 * A message received: verified, saved, and (normally) deleted from the relay.
 *
 * @param summary      the relay's metadata
 * @param opened       the verified letter, its signer and the signer's fingerprint
 * @param saved        files written under the output folder, in the letter's order
 * @param acknowledged false if the relay could not be told (the message is received and
 *                     saved; the next receive clears it from the relay)
 */
public record Received(MessageSummary summary, Opened opened, List<Path> saved, boolean acknowledged) {
    /** Copies the list. */
    public Received {
        saved = List.copyOf(saved);
    }
}
