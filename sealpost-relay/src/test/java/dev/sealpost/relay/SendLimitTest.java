package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageList;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 413 for messages over the relay's limit, whether announced by Content-Length or only seen while streaming. */
class SendLimitTest extends RelayTestBase {
    static final int LIMIT = 64 * 1024;
    String alice;
    String bob;

    @Override
    RelayConfig configure(RelayConfig defaults) {
        return defaults.withMaxMessageBytes(LIMIT);
    }

    @BeforeEach
    void accounts() {
        alice = client.account("alice");
        bob = client.account("bob");
    }

    private void assertNothingStored() throws IOException {
        assertEquals(List.of(), client.read(client.get(Api.MESSAGES, bob), MessageList.class).messages());
        try (Stream<Path> s = Files.walk(dataDir.resolve("blobs"))) {
            assertEquals(List.of(), s.filter(Files::isRegularFile).toList());
        }
    }

    @Test
    void send_exactlyAtLimit_isAccepted() {
        assertEquals(201, client.sendMessage(alice, new byte[LIMIT], "bob").statusCode());
    }

    @Test
    void send_overLimitWithContentLength_returns413AndStoresNothing() throws IOException {
        HttpResponse<String> r = client.send(client.request(TestClient.messagesTo("bob"), alice)
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT + 1])).build());
        assertEquals(413, r.statusCode());
        assertEquals("message too large: limit " + LIMIT + " bytes", client.error(r));
        assertNothingStored();
    }

    @Test
    void send_overLimitStreamedWithoutLength_returns413AndStoresNothing() throws IOException {
        byte[] body = new byte[LIMIT + 1];
        HttpResponse<String> r = client.send(client.request(TestClient.messagesTo("bob"), alice)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
        assertEquals(413, r.statusCode());
        assertEquals("message too large: limit " + LIMIT + " bytes", client.error(r));
        assertNothingStored();
    }
}
