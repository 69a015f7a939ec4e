package dev.sealpost.protocol;

import java.time.Instant;

/**
 * One session of the caller's account, as {@code GET /v1/sessions} lists it.
 *
 * @param id         the session's id, for {@code DELETE /v1/sessions/{id}} (not its token)
 * @param createdAt  when it logged in
 * @param lastUsedAt when a request last used it (within a minute), or null
 * @param expiresAt  when its token stops working
 * @param client     the client that logged in ({@code User-Agent}), or null
 * @param address    the address it logged in from, or null
 * @param current    whether it is the session making this request
 */
public record SessionInfo(String id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String client, String address,
                          boolean current) {}
