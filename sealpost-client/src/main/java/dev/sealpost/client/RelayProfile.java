package dev.sealpost.client;

import dev.sealpost.crypto.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Optional;

/**
 * The relay a person uses (relay.json) and their current session (session.json).
 *
 * @param url         the relay's https URL
 * @param fingerprint the pinned fingerprint of its TLS certificate, {@code SHA256:...}
 * @param account     the account name on that relay
 */
public record RelayProfile(String url, String fingerprint, String account) {
    private static final ObjectMapper JSON = Json.mapper();

    /** @return the URL as a URI */
    public URI uri() {
        return URI.create(url);
    }

    /** @return the pinned fingerprint */
    public Fingerprint pin() {
        return Fingerprint.parse(fingerprint);
    }

    /**
     * @return the saved profile, or empty if this home has not registered or logged in yet
     * @throws IOException if relay.json exists but cannot be read
     */
    public static Optional<RelayProfile> load(SealpostHome home) throws IOException {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(home.relayFile()), RelayProfile.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IOException(home.relayFile() + " is damaged: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Saves relay.json atomically. */
    public void save(SealpostHome home) throws IOException {
        AtomicFiles.replace(home.relayFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this), AtomicFiles.OWNER_ONLY);
    }

    /**
     * Connects to this relay as the person in {@code home}: with their device key for mutual TLS
     * when they have one ({@code cert install} makes it), presented only if the relay asks.
     *
     * @return an unauthenticated client
     * @throws IOException if the device key's files are damaged
     */
    public dev.sealpost.client.relay.RelayClient connect(SealpostHome home) throws IOException {
        return dev.sealpost.client.relay.RelayClient.connect(uri(), pin(),
                dev.sealpost.crypto.IdentityFiles.readDeviceKey(home.identityDir()).orElse(null));
    }

    /**
     * A bearer token and its expiry, kept in session.json (0600).
     *
     * @param token     the secret token
     * @param expiresAt when the relay stops accepting it
     */
    public record Session(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[token=[REDACTED], expiresAt=" + expiresAt + "]";
        }

        /** @return the saved session, or empty if there is none */
        public static Optional<Session> load(SealpostHome home) throws IOException {
            try {
                return Optional.of(JSON.readValue(Files.readAllBytes(home.sessionFile()), Session.class));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }

        /** Forgets the saved session (logout): deletes session.json. @return true if there was one */
        public static boolean forget(SealpostHome home) throws IOException {
            return Files.deleteIfExists(home.sessionFile());
        }

        /** Saves session.json atomically, readable by the owner only. */
        public void save(SealpostHome home) throws IOException {
            AtomicFiles.replace(home.sessionFile(), JSON.writeValueAsBytes(this), AtomicFiles.OWNER_ONLY);
        }
    }
}
