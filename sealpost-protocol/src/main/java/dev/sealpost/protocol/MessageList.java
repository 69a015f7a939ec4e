package dev.sealpost.protocol;

import java.util.List;

/**
 * The caller's inbox, oldest first.
 *
 * @param messages messages addressed to the caller and not yet acknowledged
 */
public record MessageList(List<MessageSummary> messages) {
    /** Copies the list. */
    public MessageList {
        messages = List.copyOf(messages);
    }
}
