package dev.sealpost.client.relay;

import dev.sealpost.crypto.Fingerprint;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS to a relay whose certificate is pinned by its SHA-256 fingerprint, the way SSH pins
 * host keys: the server must present exactly that certificate, whatever CA or hostname it
 * claims. This is stricter than PKIX, not looser: no other certificate is accepted, and
 * since the pin names one certificate, hostname checks add nothing.
 */
final class PinnedTls {
    private PinnedTls() {}

    /**
     * @param key   the device key, presented when a relay asks for a client certificate
     *              ({@code relay --require-client-cert}); a relay that does not ask never sees it
     * @param chain its certificate, then its issuers
     * @return key managers holding it
     */
    static javax.net.ssl.KeyManager[] clientKey(java.security.PrivateKey key, java.util.List<X509Certificate> chain) {
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] password = new char[0];
            ks.setKeyEntry("device", key, password, chain.toArray(new X509Certificate[0]));
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot use the device key for TLS: " + e.getMessage(), e);
        }
    }

    /** @return a TLS context that accepts only the certificate with fingerprint {@code pin} */
    static SSLContext context(Fingerprint pin) {
        return context(pin, null);
    }

    /**
     * @param clientKey key managers for mutual TLS ({@link #clientKey}), or null for none
     * @return a TLS context that accepts only the certificate with fingerprint {@code pin}
     */
    static SSLContext context(Fingerprint pin, javax.net.ssl.KeyManager[] clientKey) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(clientKey, new TrustManager[] {new PinningTrustManager(pin)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JDK", e);
        }
    }

    /**
     * @return sockets from {@code context} limited to TLS 1.3 and 1.2, for the blocking
     *         {@link javax.net.ssl.HttpsURLConnection} of bulk transfers. TLS is layered on a
     *         {@link ReadAheadSocket}: the factory declines to make unconnected sockets, so the
     *         connection connects a plain socket and hands it to
     *         {@link javax.net.ssl.SSLSocketFactory#createSocket(Socket, String, int, boolean)}.
     * @param coalescing the scopes in which writes to these sockets are gathered
     */
    static javax.net.ssl.SSLSocketFactory socketFactory(SSLContext context, WriteCoalescing coalescing) {
        javax.net.ssl.SSLSocketFactory base = context.getSocketFactory();
        return new javax.net.ssl.SSLSocketFactory() {
            private Socket layer(Socket plain, String host, int port, boolean autoClose) throws java.io.IOException {
                Socket s = base.createSocket(new ReadAheadSocket(plain, coalescing), host, port, autoClose);
                if (s instanceof javax.net.ssl.SSLSocket ssl) {
                    ssl.setEnabledProtocols(parameters().getProtocols());
                }
                return s;
            }

            @Override
            public String[] getDefaultCipherSuites() {
                return base.getDefaultCipherSuites();
            }

            @Override
            public String[] getSupportedCipherSuites() {
                return base.getSupportedCipherSuites();
            }

            @Override
            public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws java.io.IOException {
                return layer(s, host, port, autoClose);
            }

            @Override
            public Socket createSocket() throws java.io.IOException {
                // HttpsURLConnection then connects a plain socket and layers TLS on it (above)
                throw new java.net.SocketException("unconnected TLS sockets are not offered",
                        new UnsupportedOperationException());
            }

            @Override
            public Socket createSocket(String host, int port) throws java.io.IOException {
                return layer(new Socket(host, port), host, port, true);
            }

            @Override
            public Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort)
                    throws java.io.IOException {
                return layer(new Socket(host, port, localHost, localPort), host, port, true);
            }

            @Override
            public Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
                return layer(new Socket(host, port), host.getHostAddress(), port, true);
            }

            @Override
            public Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress,
                                       int localPort) throws java.io.IOException {
                return layer(new Socket(address, port, localAddress, localPort), address.getHostAddress(), port, true);
            }
        };
    }

    /** @return TLS 1.3 and 1.2 only */
    static SSLParameters parameters() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        return p;
    }

    /** Thrown during the handshake when the relay shows another certificate than the pinned one. */
    static final class PinMismatchException extends CertificateException {
        private static final long serialVersionUID = 1L;
        final Fingerprint presented;

        PinMismatchException(Fingerprint presented, Fingerprint pinned) {
            super("relay presented certificate " + presented + ", but " + pinned + " is pinned");
            this.presented = presented;
        }
    }

    private static final class PinningTrustManager extends X509ExtendedTrustManager {
        private final Fingerprint pin;

        PinningTrustManager(Fingerprint pin) {
            this.pin = pin;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("relay presented no certificate");
            }
            if (!pin.matches(chain[0])) {
                throw new PinMismatchException(Fingerprint.of(chain[0]), pin);
            }
            chain[0].checkValidity();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
