package dev.sealpost.protocol;

import java.util.List;

/**
 * Answer to a send: the message is durable and visible to its recipients.
 *
 * @param id         the message id
 * @param recipients the accounts it was delivered to
 * @param size       bytes stored
 */
public record SendResponse(String id, List<String> recipients, long size) {
    /** Copies the list. */
    public SendResponse {
        recipients = List.copyOf(recipients);
    }
}
