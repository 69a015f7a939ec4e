package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * A PATCH whose connection is cut mid-body: what arrived whole up to the cut is kept (forced
 * and recorded), and the client resumes from the offset HEAD reports.
 */
class UploadInterruptionTest extends RelayTestBase {
    static final int CHECKPOINT = 64 * 1024;

    @Override
    long uploadCheckpointBytes() {
        return CHECKPOINT;
    }

    @Test
    void connectionCutMidPatch_keepsDurablePrefix_andResumeIsByteIdentical() throws Exception {
        String alice = client.account("alice");
        String bob = client.account("bob");
        byte[] data = UploadsTest.random(1024 * 1024, 8);
        String id = client.upload(alice, data.length);
        int sent = 300 * 1024;

        try (SSLSocket s = stalledPatch(alice, id, data, sent)) { // the relay checkpoints every 64 KiB meanwhile
            assertTrue(client.offset(alice, id) > 0, "a checkpoint went through before the cut");
            s.setSoLinger(true, 0); // abrupt: RST, no TLS close_notify
        }

        long offset = resumeFrom(alice, id);
        assertTrue(offset > 0 && offset <= sent, "offset " + offset);
        HttpResponse<String> rest = client.patch(alice, id, offset, Arrays.copyOfRange(data, (int) offset, data.length));
        assertEquals(204, rest.statusCode(), rest.body());

        HttpResponse<String> m = client.sendMessage(alice, "sealed".getBytes(), List.of("bob"), List.of(id));
        assertEquals(201, m.statusCode(), m.body());
        byte[] downloaded = client.blob(bob, client.read(m, SendResponse.class).id(), id, null).body();
        assertArrayEquals(LargeUploadTest.sha256(data), LargeUploadTest.sha256(downloaded));
    }

    @Test
    void stalledPatch_isTakenOverByAPatchAtTheDurableOffset_notByOthers() throws Exception {
        String alice = client.account("alice");
        String bob = client.account("bob");
        byte[] data = UploadsTest.random(1024 * 1024, 9);
        String id = client.upload(alice, data.length);

        try (SSLSocket s = stalledPatch(alice, id, data, 300 * 1024)) {
            long durable = client.offset(alice, id);
            assertTrue(durable > 0, "a checkpoint went through before the stall");
            // the first PATCH now stalls, its connection open: it would hold the upload for the 30 s idle timeout

            HttpResponse<String> elsewhere = client.patch(alice, id, durable + 1, new byte[] {1});
            assertEquals(409, elsewhere.statusCode(), elsewhere.body());
            assertEquals("another request is changing this upload; retry after HEAD", client.error(elsewhere));
            assertEquals(404, client.patch(bob, id, durable, new byte[] {1}).statusCode(),
                    "another account's PATCH is a 404, never a takeover");

            long started = System.nanoTime();
            durable = client.offset(alice, id); // the stalled PATCH may have checkpointed what it had meanwhile
            HttpResponse<String> takeover = client.patch(alice, id, durable,
                    Arrays.copyOfRange(data, (int) durable, data.length));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(204, takeover.statusCode(), takeover.body());
            assertEquals(Long.toString(data.length), takeover.headers().firstValue(Api.UPLOAD_OFFSET).orElseThrow());
            assertTrue(tookMillis < Uploads.TAKEOVER_WAIT_MILLIS, "took over in " + tookMillis + " ms");

            // the stalled request was stopped: it answers 409 (or its connection is closed), never 204
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertTrue(answer.isEmpty() || answer.equals("HTTP/1.1 409"), answer);
        }
        HttpResponse<String> m = client.sendMessage(alice, "sealed".getBytes(), List.of("bob"), List.of(id));
        assertEquals(201, m.statusCode(), m.body());
        byte[] downloaded = client.blob(bob, client.read(m, SendResponse.class).id(), id, null).body();
        assertArrayEquals(LargeUploadTest.sha256(data), LargeUploadTest.sha256(downloaded));
    }

    @Test
    void stalledPatch_isStoppedByADelete() throws Exception {
        String alice = client.account("alice");
        byte[] data = UploadsTest.random(1024 * 1024, 10);
        String id = client.upload(alice, data.length);
        try (SSLSocket s = stalledPatch(alice, id, data, 300 * 1024)) {
            assertTrue(Files.exists(dataDir.resolve("uploads").resolve(id)));
            HttpResponse<String> delete = client.send(client.request(Api.UPLOADS + "/" + id, alice)
                    .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).DELETE().build());
            assertEquals(204, delete.statusCode(), delete.body());
            assertEquals(404, client.head(alice, id).statusCode());
            assertTrue(Files.notExists(dataDir.resolve("uploads").resolve(id)), "the upload's file is gone");
        }
    }

    /**
     * Starts a PATCH of {@code data} at offset 0 on a raw connection, sends {@code sent} bytes of
     * it and waits for a checkpoint; the PATCH then stalls with its connection open.
     */
    private SSLSocket stalledPatch(String token, String id, byte[] data, int sent) throws IOException, InterruptedException {
        SSLSocket s = (SSLSocket) TestClient.trusting(relay.certificate()).getSocketFactory()
                .createSocket("127.0.0.1", relay.port());
        s.startHandshake();
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("PATCH " + Api.UPLOADS + "/" + id + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + relay.port() + "\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + Api.TUS_RESUMABLE + ": " + Api.TUS_VERSION + "\r\n"
                + "Content-Type: " + Api.OFFSET_OCTET_STREAM + "\r\n"
                + Api.UPLOAD_OFFSET + ": 0\r\n"
                + "Content-Length: " + data.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data, 0, sent);
        out.flush();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (client.offset(token, id) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return s;
    }

    /**
     * @return the durable offset once the cut-off PATCH has finished (its last checkpoint
     *         done); until then a probe PATCH with no body gets 409 (busy or moved offset)
     */
    private long resumeFrom(String token, String id) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            long offset = client.offset(token, id);
            HttpResponse<String> probe = client.patch(token, id, offset, new byte[0]);
            if (probe.statusCode() == 204) {
                return offset;
            }
            assertEquals(409, probe.statusCode(), probe.body());
            assertTrue(System.nanoTime() < deadline, "the cut-off PATCH never finished");
            Thread.sleep(50);
        }
    }
}
