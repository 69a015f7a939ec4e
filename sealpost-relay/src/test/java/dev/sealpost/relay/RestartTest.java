package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageList;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RestartTest extends RelayTestBase {

    @Test
    void restart_reusesCertificate() throws IOException {
        Fingerprint before = relay.certificateFingerprint();
        restart();
        assertEquals(before, relay.certificateFingerprint());
        assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());
    }

    @Test
    void restart_keepsAccountsSessionsAndPendingMessages() throws IOException {
        String alice = client.account("alice");
        String bob = client.account("bob");
        byte[] sealed = "sealed bytes".getBytes();
        String id = client.read(client.sendMessage(alice, sealed, "bob"), SendResponse.class).id();

        restart();

        MessageList inbox = client.read(client.get(Api.MESSAGES, bob), MessageList.class);
        assertEquals(1, inbox.messages().size());
        assertEquals(id, inbox.messages().getFirst().id());
        HttpResponse<byte[]> f = client.sendForBytes(client.request("/v1/messages/" + id, bob).GET().build());
        assertArrayEquals(sealed, f.body());
        assertEquals(200, client.login("alice", "password of alice").statusCode());
        assertEquals(409, client.register("alice", "password of alice").statusCode());
    }

    @Test
    void start_onPortInUse_failsWithIOExceptionAndReleasesDataDirectory() throws IOException {
        Path otherDir = dataDir.resolve("other");
        RelayConfig busy = RelayConfig.defaults(otherDir).withPort(relay.port());
        IOException e = assertThrows(IOException.class, () -> RelayServer.start(busy, clock));
        assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + relay.port()), e.getMessage());

        try (RelayServer second = RelayServer.start(busy.withPort(0), clock)) {
            assertEquals(200, new TestClient(second).send(new TestClient(second).request(Api.HEALTH).GET().build()).statusCode());
        }
    }
}
