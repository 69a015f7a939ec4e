package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sealpost.crypto.Pem;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.KeyBundle;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyDirectoryTest extends RelayTestBase {
    String signing;
    String encryption;

    @BeforeEach
    void certificates() throws IOException {
        Set<GeneralName> none = Set.of(new GeneralName(GeneralName.dNSName, "example.org"));
        signing = Pem.encodeCertificate(TlsIdentity.create(none, clock).certificate());
        encryption = Pem.encodeCertificate(TlsIdentity.create(none, clock).certificate());
    }

    private HttpResponse<String> publish(String token, KeyBundle bundle) {
        return client.send(client.request(Api.KEYS, token).PUT(client.jsonBody(bundle)).build());
    }

    @Test
    void publishKeys_thenFetchByAnotherAccount_returnsBundle() {
        String alice = client.account("alice");
        String bob = client.account("bob");

        HttpResponse<String> put = publish(alice, new KeyBundle("alice", signing, encryption));
        assertEquals(204, put.statusCode(), put.body());
        HttpResponse<String> get = client.get("/v1/keys/alice", bob);

        assertEquals(200, get.statusCode(), get.body());
        assertEquals(new KeyBundle("alice", signing, encryption), client.read(get, KeyBundle.class));
    }

    @Test
    void publishKeys_again_replacesBundle() {
        String alice = client.account("alice");
        publish(alice, new KeyBundle("alice", signing, encryption));
        publish(alice, new KeyBundle("alice", encryption, signing));

        assertEquals(new KeyBundle("alice", encryption, signing),
                client.read(client.get("/v1/keys/alice", alice), KeyBundle.class));
    }

    @Test
    void publishKeys_forAnotherName_returns400() {
        String alice = client.account("alice");
        client.account("bob");
        HttpResponse<String> r = publish(alice, new KeyBundle("bob", signing, encryption));
        assertEquals(400, r.statusCode());
        assertEquals("a key bundle can only be published for your own account 'alice'", client.error(r));
    }

    @Test
    void publishKeys_malformedCertificate_returns400AndStoresNothing() {
        String alice = client.account("alice");
        String broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        HttpResponse<String> r = publish(alice, new KeyBundle("alice", signing, broken));
        assertEquals(400, r.statusCode());
        assertEquals(404, client.get("/v1/keys/alice", alice).statusCode());
    }

    @Test
    void publishKeys_withoutToken_returns401() {
        HttpResponse<String> r = client.send(client.request(Api.KEYS)
                .PUT(client.jsonBody(new KeyBundle("alice", signing, encryption))).build());
        assertEquals(401, r.statusCode());
    }

    @Test
    void fetchKeys_withoutToken_returns401() {
        HttpResponse<String> r = client.send(client.request("/v1/keys/alice").GET().build());
        assertEquals(401, r.statusCode());
    }

    @Test
    void fetchKeys_accountWithoutKeys_returns404NoKeysPublished() {
        String alice = client.account("alice");
        client.account("bob");
        HttpResponse<String> r = client.get("/v1/keys/bob", alice);
        assertEquals(404, r.statusCode());
        assertEquals("no keys published for bob", client.error(r));
    }

    @Test
    void fetchKeys_unknownAccount_returns404UnknownAccount() {
        String alice = client.account("alice");
        HttpResponse<String> r = client.get("/v1/keys/carol", alice);
        assertEquals(404, r.statusCode());
        assertEquals("unknown account: carol", client.error(r));
    }

    @Test
    void publishKeys_bodyOverLimit_returns413() {
        String alice = client.account("alice");
        byte[] big = new byte[HttpRoutes.MAX_JSON_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> r = client.send(client.request(Api.KEYS, alice)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(big)).build());
        assertEquals(413, r.statusCode());
    }
}
