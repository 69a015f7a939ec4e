package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-account storage quota: uploads counted in full at creation, messages by their declared length. */
class StorageQuotaTest extends RelayTestBase {
    private static final long QUOTA = 1_000_000;

    @Override
    RelayConfig configure(RelayConfig defaults) {
        return defaults.withStorage(new RelayConfig.Storage(QUOTA, 0));
    }

    private static String id(HttpResponse<String> created) {
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @Test
    void uploadsAndMessagesOverTheQuota_are507BeforeAnyByte_andDeletingFreesRoom() {
        String alice = client.account("alice");
        String bob = client.account("bob");
        HttpResponse<String> first = client.createUpload(alice, 600_000);
        assertEquals(201, first.statusCode(), first.body());

        HttpResponse<String> second = client.createUpload(alice, 600_000);
        assertEquals(507, second.statusCode(), "an empty upload already counts with its Upload-Length: " + second.body());
        assertTrue(second.body().contains("storage quota reached"), second.body());
        assertTrue(second.headers().firstValue("Retry-After").isPresent());

        // With Expect: 100-continue the 507 comes before any byte of the body is sent. Without it
        // the relay answers while the client is still writing, and closes the connection with
        // the rest of the body unread: the reset that follows can destroy the answer on its way
        // (CI failed on that, "header parser received no bytes").
        HttpResponse<String> message = client.send(client.request(TestClient.messagesTo("bob"), alice)
                .header("Content-Type", Api.SEALED_MEDIA_TYPE).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[500_000])).build());
        assertEquals(507, message.statusCode(), message.body());
        assertTrue(message.body().contains("storage quota reached"), message.body());
        assertEquals(201, client.createUpload(bob, 600_000).statusCode(), "the quota is per account");

        HttpResponse<String> deleted = client.send(HttpRequest.newBuilder(relay.uri().resolve(Api.UPLOAD.replace("{id}", id(first))))
                .header("Authorization", "Bearer " + alice).header(Api.TUS_RESUMABLE, Api.TUS_VERSION).DELETE().build());
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals(201, client.createUpload(alice, 600_000).statusCode(), "deleting gave the room back");
        assertEquals(201, client.sendMessage(alice, new byte[300_000], List.of("bob"), List.of()).statusCode());
    }
}
