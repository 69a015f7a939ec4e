package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageList;
import dev.sealpost.protocol.SendResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code X-HTTP-Method-Override} is honoured only as tus needs it: on POST, to PATCH. */
class MethodOverrideTest extends RelayTestBase {
    String alice;
    String bob;

    @BeforeEach
    void accounts() {
        alice = client.account("alice");
        bob = client.account("bob");
    }

    private void assertJsonError(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        assertTrue(client.error(r).contains(Api.METHOD_OVERRIDE), r.body());
    }

    @Test
    void getWithOverrideDelete_isRefused_andDeletesNothing() {
        String id = client.read(client.sendMessage(alice, "sealed".getBytes(), "bob"), SendResponse.class).id();
        HttpResponse<String> r = client.send(client.request(Api.MESSAGES + "/" + id, bob)
                .header(Api.METHOD_OVERRIDE, "DELETE").GET().build());
        assertJsonError(r, 400);
        assertEquals(1, client.read(client.get(Api.MESSAGES, bob), MessageList.class).messages().size());
    }

    @Test
    void postWithOverrideOtherThanPatch_isRefused_andDeletesNothing() {
        String upload = client.upload(alice, 10);
        HttpResponse<String> r = client.send(client.request(Api.UPLOADS + "/" + upload, alice)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).header(Api.METHOD_OVERRIDE, "DELETE")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertJsonError(r, 400);
        assertEquals(0, client.offset(alice, upload));
    }

    @Test
    void patchOrHeadWithOverride_isRefused() {
        String upload = client.upload(alice, 10);
        HttpResponse<String> patch = client.send(client.request(Api.UPLOADS + "/" + upload, alice)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).header("Content-Type", Api.OFFSET_OCTET_STREAM)
                .header(Api.UPLOAD_OFFSET, "0").header(Api.METHOD_OVERRIDE, "PATCH")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[4])).build());
        assertJsonError(patch, 400);
        HttpResponse<String> get = client.send(client.request(Api.MESSAGES, alice)
                .header(Api.METHOD_OVERRIDE, "GET").GET().build());
        assertJsonError(get, 400);
        assertEquals(0, client.offset(alice, upload));
    }

    @Test
    void postWithOverridePatch_stillAppends() {
        String upload = client.upload(alice, 10);
        HttpResponse<String> r = client.send(client.request(Api.UPLOADS + "/" + upload, alice)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).header("Content-Type", Api.OFFSET_OCTET_STREAM)
                .header(Api.METHOD_OVERRIDE, "PATCH").header(Api.UPLOAD_OFFSET, "0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4])).build());
        assertEquals(204, r.statusCode(), r.body());
        assertEquals(4, client.offset(alice, upload));
    }
}
