package dev.sealpost.client.relay;

import dev.sealpost.crypto.Fingerprint;
import java.net.URI;

/**
 * A relay, as its client sees it: one {@link RelayTransport} (pinned TLS, one kept-alive
 * connection, one error mapping) and the API classes on it. Cheap to make; holds no
 * connection until the first request.
 *
 * @param transport the connection, with or without a bearer token
 */
public record RelayClient(RelayTransport transport) {

    /**
     * @param base the relay's {@code https://host:port} URL
     * @param pin  the fingerprint of the relay's TLS certificate
     * @return an unauthenticated client
     * @throws IllegalArgumentException if {@code base} is not an https URL
     */
    public static RelayClient connect(URI base, Fingerprint pin) {
        return new RelayClient(RelayTransport.connect(base, pin));
    }

    /**
     * @param device the device key to present when the relay asks for a client certificate
     *               (mutual TLS, {@code relay --require-client-cert}), or null for none
     * @return an unauthenticated client
     * @throws IllegalArgumentException if {@code base} is not an https URL
     */
    public static RelayClient connect(URI base, Fingerprint pin, dev.sealpost.crypto.Identity.DeviceKey device) {
        return new RelayClient(RelayTransport.connect(base, pin, device));
    }

    /** @return a client that sends {@code Authorization: Bearer token} on the same connections */
    public RelayClient withToken(String bearerToken) {
        return new RelayClient(transport.withToken(bearerToken));
    }

    /** @return the relay's base URL */
    public URI base() {
        return transport.base();
    }

    /** @return accounts, sessions and the key directory */
    public AccountApi accounts() {
        return new AccountApi(transport);
    }

    /** @return sealed messages: post, list, fetch, acknowledge */
    public MessageApi messages() {
        return new MessageApi(transport);
    }

    /** @return resumable uploads of streamed files (tus) */
    public TusUploads uploads() {
        return new TusUploads(transport);
    }

    /** @return ranged downloads of a message's streamed files */
    public BlobDownloads blobs() {
        return new BlobDownloads(transport);
    }

    /** @return the push of new mail */
    public EventStream events() {
        return new EventStream(transport);
    }
}
