package dev.sealpost.relay;

import dev.sealpost.protocol.Api;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The relay's only connector: HTTPS (HTTP/1.1 over TLS). TLS 1.3 (RFC 8446) with its three
 * AEAD suites, and TLS 1.2 only with ECDHE key exchange and AEAD ciphers (AES-GCM,
 * ChaCha20-Poly1305): no CBC, no static RSA, no renegotiation. Anything older is refused in
 * the handshake; there is no plain-HTTP port. Every answer carries the {@link SecurityHeaders}
 * (HSTS among them).
 *
 * <p>Its connections are bounded by {@link RelayConfig.Connections}: in total (Jetty's
 * {@link NetworkConnectionLimit}: over it the connector stops accepting until one closes), per
 * client address ({@link AddressConnectionLimit}: closed at once), in time for a request's
 * headers ({@link HeaderDeadline}), in idle time (the connector's idle timeout) and in data rate
 * ({@link #MIN_DATA_RATE_BYTES_PER_SECOND} for request bodies). A request's
 * head may be {@link Api#MAX_REQUEST_HEAD_BYTES} long (the longest send the protocol allows);
 * past that the answer is 414 or 431.
 */
final class TlsConnector {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    static final String[] CIPHER_SUITES = {
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    };
    /**
     * Slowest body a request may send, in bytes per second averaged from its first byte: 1 KiB/s,
     * a sixth of a 56 kbit/s modem. Without it a client trickling a byte just within the idle
     * timeout holds its connection as long as it likes. Over it, Jetty fails the body's read
     * with a 408: a tus PATCH keeps what arrived whole ({@link Uploads}), anything else answers
     * 408. Responses have no such floor: the event stream writes a few bytes a minute.
     */
    static final long MIN_DATA_RATE_BYTES_PER_SECOND = 1024;
    /** When stopping, idle keep-alive connections are closed after this (Jetty's default waits 1 s). */
    static final long SHUTDOWN_IDLE_TIMEOUT_MILLIS = 200;

    private TlsConnector() {}

    /** @param limits bounds on connections (the event streams' keep-alive is shorter than its idle timeout) */
    static Connector create(Server server, HttpConfiguration http, TlsIdentity identity, String host, int port,
                            RelayConfig.Connections limits, RelayConfig.Trust trust) {
        // Clients pin the certificate, so any name they reach us by is fine: no SNI host check.
        http.addCustomizer(new SecureRequestCustomizer(false));
        http.addCustomizer(new SecurityHeaders());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // A parser limit, not a buffer: Jetty reads heads in its input buffer (getInputBufferSize).
        http.setRequestHeaderSize(Api.MAX_REQUEST_HEAD_BYTES);
        http.setMinRequestDataRate(MIN_DATA_RATE_BYTES_PER_SECOND);
        // No per-connection cache of header values (Jetty's default holds 1,024 entries): from a
        // connection's second request on, its parser keeps a trie of 1,024 rows of 48 chars,
        // ~100 KB of heap for as long as the connection is open. At the default 1,000
        // connections that is 100 MB of the relay's 256 MB, and it outlives the young
        // generation, so every closed connection left garbage for a full collection (160-260 ms
        // on the bench's relay, once or twice in each four-minute run; docs/BENCHMARKS.md,
        // seventh round). Header names still come from Jetty's static cache; values are read afresh.
        http.setHeaderCacheSize(0);
        SslContextFactory.Server tls = new SslContextFactory.Server();
        char[] password = randomPassword();
        tls.setKeyStore(keyStore(identity, password));
        tls.setKeyStorePassword(new String(password));
        tls.setIncludeProtocols(PROTOCOLS);
        tls.setIncludeCipherSuites(CIPHER_SUITES);
        tls.setUseCipherSuitesOrder(true);
        tls.setRenegotiationAllowed(false);
        if (trust.requireClientCert()) {
            // Mutual TLS: the handshake needs a client certificate chaining to the organisation CA
            // (a device key issued by the person's CA-issued signing certificate), checked by
            // PKIX; with a CRL, Jetty checks revocation too (read at start).
            tls.setNeedClientAuth(true);
            tls.setTrustStore(trustStore(trust.anchor()));
            if (trust.crl() != null) {
                tls.setCrlPath(trust.crl().toString());
                tls.setValidatePeerCerts(true);
            }
        }
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MILLIS);
        connector.addBean(new AddressConnectionLimit(limits.maxPerAddress()));
        connector.addBean(new HeaderDeadline(limits.headerTimeout()));
        server.addBean(new NetworkConnectionLimit(limits.maxTotal(), connector));
        return connector;
    }

    private static KeyStore trustStore(java.nio.file.Path anchor) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("organisation-ca", dev.sealpost.crypto.Pem.readCertificate(anchor));
            return ks;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot use " + anchor + " as the client CA: " + e.getMessage(), e);
        }
    }

    private static KeyStore keyStore(TlsIdentity identity, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("relay", identity.privateKey(), password, identity.chain().toArray(new Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot hold the TLS key in memory: " + e.getMessage(), e);
        }
    }

    /** The in-memory key store never reaches disk; its password only satisfies the API. */
    private static char[] randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b).toCharArray();
    }
}
