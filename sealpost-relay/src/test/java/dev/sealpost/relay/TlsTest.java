package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.crypto.Pem;
import dev.sealpost.protocol.Api;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class TlsTest extends RelayTestBase {
    private static final int ALERT = 0x15;
    private static final int HANDSHAKE = 0x16;
    private static final int PROTOCOL_VERSION = 70;
    private static final int HANDSHAKE_FAILURE = 40;

    @Test
    void certificate_isSelfSignedP256ForLoopbackNames() throws Exception {
        X509Certificate cert = relay.certificate();
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        cert.verify(cert.getPublicKey());
        List<String> names = cert.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
        assertTrue(names.contains("localhost"), names.toString());
        assertTrue(names.contains("127.0.0.1"), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.equals("0:0:0:0:0:0:0:1")), names.toString());
        assertEquals(Fingerprint.of(cert), relay.certificateFingerprint());
        assertEquals(URI.create("https://127.0.0.1:" + relay.port()), relay.uri());
    }

    @Test
    void certificateAndKey_areStoredAsPemWithPrivateKeyOwnerOnly() throws IOException {
        Path tls = dataDir.resolve("tls");
        assertEquals(relay.certificate(), Pem.readCertificate(tls.resolve("cert.pem")));
        assertTrue(Files.readString(tls.resolve("key.pem")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("key.pem"))));
    }

    @Test
    void newDataDirectory_getsNewCertificate() throws IOException {
        try (RelayServer other = RelayServer.start(RelayConfig.defaults(dataDir.resolve("other")).withPort(0), clock)) {
            assertNotEquals(relay.certificateFingerprint(), other.certificateFingerprint());
        }
    }

    @Test
    void secondRelay_onSameDataDirectory_isRefused() {
        IOException e = assertThrows(IOException.class,
                () -> RelayServer.start(RelayConfig.defaults(dataDir).withPort(0), clock));
        assertEquals("another relay is already using " + dataDir, e.getMessage());
    }

    @Test
    void client_trustingAnotherCertificate_isRefused() throws IOException {
        X509Certificate stranger = TlsIdentity.create(TlsIdentity.names("127.0.0.1"), clock).certificate();
        HttpClient distrustful = HttpClient.newBuilder().sslContext(TestClient.trusting(stranger)).build();
        assertThrows(IOException.class, () -> distrustful.send(
                HttpRequest.newBuilder(client.base.resolve(Api.HEALTH)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void plainHttp_isRefused() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI http = URI.create("http://127.0.0.1:" + relay.port() + Api.HEALTH);
        assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(http)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void tls13_isNegotiatedByDefault() throws IOException {
        try (SSLSocket s = (SSLSocket) TestClient.trusting(relay.certificate()).getSocketFactory()
                .createSocket("127.0.0.1", relay.port())) {
            s.startHandshake();
            assertEquals("TLSv1.3", s.getSession().getProtocol());
        }
    }

    @Test
    void tls12WithEcdheGcm_isAccepted() throws IOException {
        try (SSLSocket s = (SSLSocket) TestClient.trusting(relay.certificate()).getSocketFactory()
                .createSocket("127.0.0.1", relay.port())) {
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
            s.startHandshake();
            assertEquals("TLSv1.2", s.getSession().getProtocol());
        }
    }

    /**
     * A hand-made TLS 1.1 ClientHello, so the refusal is the relay's and not the JDK client's
     * own policy (which would not even send it).
     */
    @Test
    void tls11ClientHello_isAnsweredWithProtocolVersionAlert() throws IOException {
        byte[] answer = exchange(clientHello(0x0302, "c009c013002f", false));
        assertAlert(answer, PROTOCOL_VERSION);
    }

    @Test
    void tls12ClientHelloOfferingOnlyCbc_isAnsweredWithHandshakeFailure() throws IOException {
        byte[] answer = exchange(clientHello(0x0303, "c023c027c009c013", true));
        assertAlert(answer, HANDSHAKE_FAILURE);
    }

    @Test
    void tls12ClientHelloOfferingGcm_getsServerHello() throws IOException {
        byte[] answer = exchange(clientHello(0x0303, "c02b", true));
        assertEquals(HANDSHAKE, answer[0] & 0xff, HexFormat.of().formatHex(answer));
    }

    private static void assertAlert(byte[] answer, int description) {
        String hex = HexFormat.of().formatHex(answer);
        assertTrue(answer.length >= 7, "expected an alert record, got " + hex);
        assertEquals(ALERT, answer[0] & 0xff, hex);
        assertEquals(2, answer[5], "fatal: " + hex);
        assertEquals(description, answer[6], hex);
    }

    private byte[] exchange(byte[] hello) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            return readRecord(s.getInputStream());
        }
    }

    /** @return the first TLS record, or what arrived before the connection closed */
    private static byte[] readRecord(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[5];
        try {
            data.readFully(header);
        } catch (EOFException closed) {
            return new byte[0];
        }
        byte[] body = new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)];
        data.readFully(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        out.write(body);
        return out.toByteArray();
    }

    /** A minimal ClientHello: P-256, uncompressed points, and signature algorithms for TLS 1.2. */
    private static byte[] clientHello(int version, String suitesHex, boolean signatureAlgorithms) {
        byte[] suites = HexFormat.of().parseHex(suitesHex);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        ext.writeBytes(HexFormat.of().parseHex("000a00040002" + "0017"));  // supported_groups: secp256r1
        ext.writeBytes(HexFormat.of().parseHex("000b0002" + "0100"));      // ec_point_formats: uncompressed
        if (signatureAlgorithms) {                                          // ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256
            ext.writeBytes(HexFormat.of().parseHex("000d00060004" + "04030804"));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        body.writeBytes(new byte[32]);                       // random
        body.write(0);                                       // no session id
        body.write(suites.length >> 8);
        body.write(suites.length);
        body.writeBytes(suites);
        body.writeBytes(new byte[] {1, 0});                  // compression: null
        body.write(ext.size() >> 8);
        body.write(ext.size());
        body.writeBytes(ext.toByteArray());
        byte[] b = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {HANDSHAKE, 3, 1});
        int handshakeLength = b.length + 4;
        record.write(handshakeLength >> 8);
        record.write(handshakeLength);
        record.writeBytes(new byte[] {1, (byte) (b.length >> 16), (byte) (b.length >> 8), (byte) b.length});
        record.writeBytes(b);
        return record.toByteArray();
    }
}
