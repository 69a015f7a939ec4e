package dev.sealpost.ui;

import dev.sealpost.client.RelayProfile;
import dev.sealpost.client.SealpostHome;
import dev.sealpost.client.relay.RelayClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The relay the UI's screens talk to: the profile and session in {@code $SEALPOST_HOME} (read
 * again on each call, so a login from the CLI or the Account screen counts at once) and one
 * {@link RelayClient} for them, kept while they stay the same, so that requests reuse its
 * kept-alive TLS connections instead of a handshake each.
 */
final class RelaySession {
    private final SealpostHome home;
    private final Clock clock;
    private Key key;
    private RelayClient client;

    /** What a client was made for. */
    private record Key(RelayProfile profile, String token) {}

    RelaySession(SealpostHome home, Clock clock) {
        this.home = home;
        this.clock = clock;
    }

    /**
     * @return an authenticated client, or empty if no relay is registered or the session is
     *         missing or expired
     * @throws IOException if the profile or session file cannot be read
     */
    synchronized Optional<RelayClient> client() throws IOException {
        RelayProfile profile = RelayProfile.load(home).orElse(null);
        RelayProfile.Session session = RelayProfile.Session.load(home).orElse(null);
        if (profile == null || session == null || !session.expiresAt().isAfter(Instant.now(clock))) {
            return Optional.empty();
        }
        Key now = new Key(profile, session.token());
        if (!now.equals(key)) {
            key = now;
            client = profile.connect(home).withToken(session.token());
        }
        return Optional.of(client);
    }
}
