package dev.sealpost.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sealpost.relay.RelayConfig;
import dev.sealpost.relay.RelayServer;
import java.nio.file.Path;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in default is the JDK's default in behaviour: same suites, same certificate checks. */
class DeferredDefaultTlsTest {
    private SSLSocketFactory before;

    @BeforeEach
    void remember() {
        before = HttpsURLConnection.getDefaultSSLSocketFactory();
    }

    @AfterEach
    void restore() {
        HttpsURLConnection.setDefaultSSLSocketFactory(before);
    }

    @Test
    void install_becomesTheDefaultWithTheJdksSuites() {
        DeferredDefaultTls.install();

        SSLSocketFactory installed = HttpsURLConnection.getDefaultSSLSocketFactory();
        assertInstanceOf(DeferredDefaultTls.class, installed);
        SSLSocketFactory jdk = (SSLSocketFactory) SSLSocketFactory.getDefault();
        assertArrayEquals(jdk.getDefaultCipherSuites(), installed.getDefaultCipherSuites());
        assertArrayEquals(jdk.getSupportedCipherSuites(), installed.getSupportedCipherSuites());
    }

    /** A connection that sets no factory of its own still checks certificates against cacerts: the relay's self-signed one fails. */
    @Test
    void install_connectionWithoutOwnFactory_stillRefusesAnUntrustedCertificate(@TempDir Path dir) throws Exception {
        DeferredDefaultTls.install();
        try (RelayServer relay = RelayServer.start(RelayConfig.defaults(dir).withHost("127.0.0.1").withPort(0))) {
            HttpsURLConnection c = (HttpsURLConnection) relay.uri().resolve("/v1/messages").toURL().openConnection();
            c.setConnectTimeout(10_000);
            c.setReadTimeout(10_000);

            assertThrows(SSLHandshakeException.class, c::getResponseCode);
        }
    }
}
