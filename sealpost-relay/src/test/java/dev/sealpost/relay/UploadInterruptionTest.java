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

        try (SSLSocket s = (SSLSocket) TestClient.trusting(relay.certificate()).getSocketFactory()
                .createSocket("127.0.0.1", relay.port())) {
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            String head = "PATCH " + Api.UPLOADS + "/" + id + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + relay.port() + "\r\n"
                    + "Authorization: Bearer " + alice + "\r\n"
                    + Api.TUS_RESUMABLE + ": " + Api.TUS_VERSION + "\r\n"
                    + "Content-Type: " + Api.OFFSET_OCTET_STREAM + "\r\n"
                    + Api.UPLOAD_OFFSET + ": 0\r\n"
                    + "Content-Length: " + data.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(data, 0, sent);
            out.flush();
            // the relay checkpoints every 64 KiB while the body streams in
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (client.offset(alice, id) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
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
