package dev.sealpost.protocol;

import java.util.List;

/**
 * Body of {@code GET /v1/sessions}: the caller's account's sessions that have not expired.
 *
 * @param sessions oldest first
 */
public record SessionList(List<SessionInfo> sessions) {}
