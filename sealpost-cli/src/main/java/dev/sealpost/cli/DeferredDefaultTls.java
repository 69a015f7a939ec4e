package dev.sealpost.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The JDK's default TLS socket factory, built only when something actually uses it.
 *
 * <p>Every {@link HttpsURLConnection} fetches the default factory in its constructor, even when
 * the caller then sets its own, as sealpost's pinned relay client always does. Building the
 * default means the default {@code SSLContext} and reading the JDK's {@code cacerts}: ~0.1 s of
 * the main thread in a fresh JVM, before the first request to the relay (async-profiler,
 * {@code TrustStoreManager$TrustAnchorManager.loadKeyStore}). A command-line process owns its
 * defaults, so {@link Main#main} installs this stand-in; anything that does use the default gets
 * exactly the JDK's factory, built at its first use. {@link Main#run} (tests, the demo) leaves
 * the defaults of its host JVM alone.
 */
final class DeferredDefaultTls extends SSLSocketFactory {
    private DeferredDefaultTls() {}

    /** Makes this the default factory of {@link HttpsURLConnection} in this JVM. */
    static void install() {
        HttpsURLConnection.setDefaultSSLSocketFactory(new DeferredDefaultTls());
    }

    private static final class Jdk {
        static final SSLSocketFactory DEFAULT = (SSLSocketFactory) SSLSocketFactory.getDefault();
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return Jdk.DEFAULT.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return Jdk.DEFAULT.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return Jdk.DEFAULT.createSocket();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return Jdk.DEFAULT.createSocket(s, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return Jdk.DEFAULT.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return Jdk.DEFAULT.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return Jdk.DEFAULT.createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return Jdk.DEFAULT.createSocket(address, port, localAddress, localPort);
    }

    @Override
    public Socket createSocket(Socket s, java.io.InputStream consumed, boolean autoClose) throws IOException {
        return Jdk.DEFAULT.createSocket(s, consumed, autoClose);
    }
}
