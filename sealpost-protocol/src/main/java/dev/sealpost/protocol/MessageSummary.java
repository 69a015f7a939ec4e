package dev.sealpost.protocol;

import java.time.Instant;

/**
 * What the relay knows of a message: routing metadata only, never content.
 *
 * @param id        opaque message id (URL-safe)
 * @param sender    the sending account, as authenticated by the relay (the receiver still
 *                  checks it against the signed From header)
 * @param size      sealed size in bytes
 * @param sentAt    when the relay accepted it
 * @param expiresAt when the relay deletes it if not acknowledged
 */
public record MessageSummary(String id, String sender, long size, Instant sentAt, Instant expiresAt) {}
