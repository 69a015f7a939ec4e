package dev.sealpost.client;

import java.util.List;

/**
 * A message the relay accepted.
 *
 * @param messageId     the relay's id for it
 * @param recipients    the accounts it was delivered to, as the relay confirmed them
 * @param sealedBytes   size of the sealed S/MIME message, in bytes
 * @param streamedFiles how many files travelled as streamed files beside it
 * @param streamedBytes their plaintext size, in bytes
 * @param letter        the letter as signed
 */
public record Sent(String messageId, List<String> recipients, long sealedBytes, int streamedFiles, long streamedBytes,
                   Letter letter) {
    /** Copies the list. */
    public Sent {
        recipients = List.copyOf(recipients);
    }
}
