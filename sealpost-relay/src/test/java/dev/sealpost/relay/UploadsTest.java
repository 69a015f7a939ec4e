package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tus 1.0.0 creation, HEAD, PATCH and termination against a real relay. */
class UploadsTest extends RelayTestBase {
    static final long MAX = 1024 * 1024;
    String alice;
    String bob;

    @Override
    RelayConfig configure(RelayConfig defaults) {
        return defaults.withMaxUploadBytes(MAX).withTokenTtl(Duration.ofDays(7));
    }

    @BeforeEach
    void accounts() {
        alice = client.account("alice");
        bob = client.account("bob");
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    Path file(String id) {
        return dataDir.resolve("uploads").resolve(id);
    }

    /** Attaches the upload to a message for bob and downloads it as bob. */
    byte[] sendAndDownload(String upload) {
        HttpResponse<String> s = client.sendMessage(alice, "sealed".getBytes(), List.of("bob"), List.of(upload));
        assertEquals(201, s.statusCode(), s.body());
        String id = client.read(s, SendResponse.class).id();
        HttpResponse<byte[]> r = client.blob(bob, id, upload, null);
        assertEquals(200, r.statusCode());
        return r.body();
    }

    @Test
    void create_returnsLocationExpiryAndTusHeaders() {
        HttpResponse<String> r = client.createUpload(alice, 1000);
        assertEquals(201, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches("/v1/uploads/[A-Za-z0-9_-]{1,64}"), location);
        assertEquals(Api.TUS_VERSION, r.headers().firstValue(Api.TUS_RESUMABLE).orElseThrow());
        String expires = r.headers().firstValue(Api.UPLOAD_EXPIRES).orElseThrow();
        assertTrue(expires.matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), expires);
        ZonedDateTime at = ZonedDateTime.parse(expires, DateTimeFormatter.RFC_1123_DATE_TIME);
        long seconds = Duration.between(clock.instant(), at.toInstant()).toSeconds();
        assertTrue(Math.abs(seconds - RelayConfig.DEFAULT_UPLOAD_TTL.toSeconds()) <= 1, expires);

        String id = location.substring(location.lastIndexOf('/') + 1);
        HttpResponse<String> h = client.head(alice, id);
        assertEquals(200, h.statusCode());
        assertEquals("0", h.headers().firstValue(Api.UPLOAD_OFFSET).orElseThrow());
        assertEquals("1000", h.headers().firstValue(Api.UPLOAD_LENGTH).orElseThrow());
        assertEquals("no-store", h.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals(Api.TUS_VERSION, h.headers().firstValue(Api.TUS_RESUMABLE).orElseThrow());
    }

    @Test
    void patchInPieces_thenComplete_isByteIdentical() {
        byte[] data = random(300_000, 1);
        String id = client.upload(alice, data.length);
        int[] cuts = {0, 1, 70_000, 200_000, data.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            HttpResponse<String> r = client.patch(alice, id, cuts[i], Arrays.copyOfRange(data, cuts[i], cuts[i + 1]));
            assertEquals(204, r.statusCode(), r.body());
            assertEquals(Long.toString(cuts[i + 1]), r.headers().firstValue(Api.UPLOAD_OFFSET).orElseThrow());
            assertEquals(Api.TUS_VERSION, r.headers().firstValue(Api.TUS_RESUMABLE).orElseThrow());
            assertEquals(cuts[i + 1], client.offset(alice, id));
        }
        // repeating the last PATCH of a complete upload is harmless
        HttpResponse<String> again = client.patch(alice, id, data.length, new byte[0]);
        assertEquals(204, again.statusCode(), again.body());
        assertEquals(Long.toString(data.length), again.headers().firstValue(Api.UPLOAD_OFFSET).orElseThrow());

        assertArrayEquals(data, sendAndDownload(id));
    }

    @Test
    void postWithMethodOverride_appendsLikePatch_plainPostIsRefused() {
        String id = client.upload(alice, 10);
        HttpResponse<String> plain = client.send(client.request(Api.UPLOADS + "/" + id, alice)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).header("Content-Type", Api.OFFSET_OCTET_STREAM)
                .header(Api.UPLOAD_OFFSET, "0").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4])).build());
        assertEquals(400, plain.statusCode(), plain.body());
        assertEquals(0, client.offset(alice, id));
        HttpResponse<String> r = client.send(client.request(Api.UPLOADS + "/" + id, alice)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).header("Content-Type", Api.OFFSET_OCTET_STREAM)
                .header(Api.METHOD_OVERRIDE, "PATCH").header(Api.UPLOAD_OFFSET, "0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4])).build());
        assertEquals(204, r.statusCode(), r.body());
        assertEquals(4, client.offset(alice, id));
    }

    @Test
    void patch_wrongOffset_returns409WithCurrentOffset() {
        String id = client.upload(alice, 100);
        assertEquals(204, client.patch(alice, id, 0, new byte[40]).statusCode());
        HttpResponse<String> r = client.patch(alice, id, 10, new byte[10]);
        assertEquals(409, r.statusCode());
        assertEquals("40", r.headers().firstValue(Api.UPLOAD_OFFSET).orElseThrow());
        assertEquals(40, client.offset(alice, id));
    }

    @Test
    void patch_wrongContentType_returns415() {
        String id = client.upload(alice, 100);
        HttpResponse<String> r = client.send(client.request(Api.UPLOADS + "/" + id, alice)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).header("Content-Type", "application/octet-stream")
                .header(Api.UPLOAD_OFFSET, "0")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build());
        assertEquals(415, r.statusCode());
        assertEquals(0, client.offset(alice, id));
    }

    @Test
    void missingOrOtherTusVersion_returns412WithTusVersion() {
        HttpResponse<String> create = client.send(client.request(Api.UPLOADS, alice)
                .header(Api.UPLOAD_LENGTH, "10").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(412, create.statusCode());
        assertEquals(Api.TUS_VERSION, create.headers().firstValue("Tus-Version").orElseThrow());

        String id = client.upload(alice, 10);
        HttpResponse<String> patch = client.send(client.request(Api.UPLOADS + "/" + id, alice)
                .header(Api.TUS_RESUMABLE, "0.2.2").header("Content-Type", Api.OFFSET_OCTET_STREAM)
                .header(Api.UPLOAD_OFFSET, "0")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build());
        assertEquals(412, patch.statusCode());
        assertEquals(0, client.offset(alice, id));
    }

    @Test
    void create_badUploadLength_returns400() {
        for (String bad : new String[] {"", "-1", "ten", "1e3", "0x10"}) {
            HttpResponse<String> r = client.send(client.request(Api.UPLOADS, alice)
                    .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).header(Api.UPLOAD_LENGTH, bad.isEmpty() ? " " : bad)
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(400, r.statusCode(), bad);
        }
        HttpResponse<String> missing = client.send(client.request(Api.UPLOADS, alice)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(400, missing.statusCode());
    }

    @Test
    void create_overMaxUploadBytes_returns413() {
        assertEquals(201, client.createUpload(alice, MAX).statusCode());
        HttpResponse<String> r = client.createUpload(alice, MAX + 1);
        assertEquals(413, r.statusCode());
        assertEquals("upload too large: limit " + MAX + " bytes", client.error(r));
        assertEquals(413, client.createUpload(alice, Long.MAX_VALUE).statusCode());
    }

    @Test
    void patch_pastLength_returns413AndKeepsNothingPastIt() throws IOException {
        String id = client.upload(alice, 100);
        HttpResponse<String> declared = client.patch(alice, id, 0, new byte[101]);
        assertEquals(413, declared.statusCode());
        assertEquals(0, client.offset(alice, id));

        // streamed without Content-Length: the bytes up to the length are kept, nothing after
        byte[] data = random(150, 2);
        HttpResponse<String> streamed = client.send(client.request(Api.UPLOADS + "/" + id, alice)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).header("Content-Type", Api.OFFSET_OCTET_STREAM)
                .header(Api.UPLOAD_OFFSET, "0")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(data)))
                .build());
        assertEquals(413, streamed.statusCode());
        assertEquals(100, client.offset(alice, id));
        assertEquals(100, Files.size(file(id)));
        assertArrayEquals(Arrays.copyOf(data, 100), sendAndDownload(id));
    }

    @Test
    void someoneElsesUpload_is404ForEverything() {
        String id = client.upload(alice, 10);
        assertEquals(404, client.head(bob, id).statusCode());
        assertEquals(404, client.patch(bob, id, 0, new byte[10]).statusCode());
        assertEquals(404, client.send(client.request(Api.UPLOADS + "/" + id, bob)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).DELETE().build()).statusCode());
        assertEquals(404, client.head(alice, "AAAAAAAAAAAAAAAAAAAAAA").statusCode());
        assertEquals(404, client.head(alice, "..%2Frelay.db").statusCode());
        assertEquals(0, client.offset(alice, id));
    }

    @Test
    void withoutToken_is401() {
        HttpResponse<String> r = client.send(client.request(Api.UPLOADS).header(Api.TUS_RESUMABLE, Api.TUS_VERSION)
                .header(Api.UPLOAD_LENGTH, "10").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(401, r.statusCode());
    }

    @Test
    void delete_removesUploadAndFile() {
        String id = client.upload(alice, 100);
        assertEquals(204, client.patch(alice, id, 0, new byte[50]).statusCode());
        assertTrue(Files.exists(file(id)));
        HttpResponse<String> r = client.send(client.request(Api.UPLOADS + "/" + id, alice)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).DELETE().build());
        assertEquals(204, r.statusCode());
        assertEquals(404, client.head(alice, id).statusCode());
        assertFalse(Files.exists(file(id)));
    }

    @Test
    void attachedUpload_cannotBePatchedOrDeleted() {
        String id = client.upload(alice, 10);
        assertEquals(204, client.patch(alice, id, 0, new byte[10]).statusCode());
        sendAndDownload(id);
        assertEquals(409, client.patch(alice, id, 10, new byte[0]).statusCode());
        assertEquals(409, client.send(client.request(Api.UPLOADS + "/" + id, alice)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).DELETE().build()).statusCode());
    }

    @Test
    void incompleteUploadsPerAccount_areCapped() {
        for (int i = 0; i < Uploads.MAX_INCOMPLETE_PER_ACCOUNT; i++) {
            client.upload(alice, 10);
        }
        HttpResponse<String> r = client.createUpload(alice, 10);
        assertEquals(429, r.statusCode());
        assertEquals(201, client.createUpload(bob, 10).statusCode());
        assertEquals(201, client.createUpload(alice, 0).statusCode()); // complete at once: not counted
    }

    @Test
    void options_describesTusSupport() {
        HttpResponse<String> r = client.send(client.request(Api.UPLOADS, alice)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(204, r.statusCode());
        assertEquals(Api.TUS_VERSION, r.headers().firstValue("Tus-Version").orElseThrow());
        assertEquals(Long.toString(MAX), r.headers().firstValue("Tus-Max-Size").orElseThrow());
    }

    @Test
    void restartMidUpload_resumesFromDurableOffset() throws IOException {
        byte[] data = random(500_000, 3);
        String id = client.upload(alice, data.length);
        assertEquals(204, client.patch(alice, id, 0, Arrays.copyOf(data, 123_456)).statusCode());

        restart();
        alice = client.read(client.login("alice", "password of alice"), dev.sealpost.protocol.SessionResponse.class).token();

        long offset = client.offset(alice, id);
        assertEquals(123_456, offset);
        assertEquals(204, client.patch(alice, id, offset, Arrays.copyOfRange(data, (int) offset, data.length)).statusCode());
        assertArrayEquals(data, sendAndDownload(id));
    }

    @Test
    void bytesAfterTheLastCheckpoint_areDiscardedOnResume() throws IOException {
        byte[] data = random(200_000, 4);
        String id = client.upload(alice, data.length);
        assertEquals(204, client.patch(alice, id, 0, Arrays.copyOf(data, 80_000)).statusCode());
        // as if a crashed run had written more than it recorded
        Files.write(file(id), random(30_000, 5), StandardOpenOption.APPEND);

        restart();
        alice = client.read(client.login("alice", "password of alice"), dev.sealpost.protocol.SessionResponse.class).token();

        assertEquals(80_000, client.offset(alice, id));
        assertEquals(204, client.patch(alice, id, 80_000, Arrays.copyOfRange(data, 80_000, data.length)).statusCode());
        assertArrayEquals(data, sendAndDownload(id));
    }

    @Test
    void orphanUploadFile_isRemovedAtStart() throws IOException {
        String id = client.upload(alice, 10);
        assertEquals(204, client.patch(alice, id, 0, new byte[5]).statusCode());
        Files.write(file("BBBBBBBBBBBBBBBBBBBBBB"), new byte[5]);
        restart();
        assertTrue(Files.exists(file(id)));
        assertFalse(Files.exists(file("BBBBBBBBBBBBBBBBBBBBBB")));
    }

    @Test
    void expiry_deletesUnattachedUploadsButNotBlobs() throws IOException {
        String incomplete = client.upload(alice, 100);
        assertEquals(204, client.patch(alice, incomplete, 0, new byte[50]).statusCode());
        String attached = client.upload(alice, 10);
        assertEquals(204, client.patch(alice, attached, 0, random(10, 6)).statusCode());
        HttpResponse<String> s = client.sendMessage(alice, "sealed".getBytes(), List.of("bob"), List.of(attached));
        String message = client.read(s, SendResponse.class).id();

        clock.advance(RelayConfig.DEFAULT_UPLOAD_TTL.minusSeconds(1));
        relay.housekeeping();
        assertEquals(50, client.offset(alice, incomplete));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(404, client.head(alice, incomplete).statusCode()); // expired: gone before the sweep
        relay.housekeeping();
        assertFalse(Files.exists(file(incomplete)));
        assertTrue(Files.exists(file(attached)));
        HttpResponse<byte[]> r = client.blob(bob, message, attached, null);
        assertEquals(200, r.statusCode());
        assertArrayEquals(random(10, 6), r.body());
    }

    @Test
    void expiredUpload_cannotBeAttached() {
        String id = client.upload(alice, 10);
        assertEquals(204, client.patch(alice, id, 0, new byte[10]).statusCode());
        clock.advance(RelayConfig.DEFAULT_UPLOAD_TTL);
        HttpResponse<String> s = client.sendMessage(alice, "sealed".getBytes(), List.of("bob"), List.of(id));
        assertEquals(404, s.statusCode());
    }

    @Test
    void expiry_extendsAsBytesArrive_soASlowUploadDoesNotExpireHalfWay() {
        String id = client.upload(alice, 100);
        clock.advance(RelayConfig.DEFAULT_UPLOAD_TTL.minusMinutes(10));
        assertEquals(204, client.patch(alice, id, 0, new byte[50]).statusCode());
        clock.advance(Duration.ofMinutes(20)); // past creation + TTL, well within last bytes + TTL
        HttpResponse<String> h = client.head(alice, id);
        assertEquals(200, h.statusCode(), "the upload was still receiving bytes");
        assertEquals(204, client.patch(alice, id, 50, new byte[50]).statusCode());
        clock.advance(RelayConfig.DEFAULT_UPLOAD_TTL);
        assertEquals(404, client.head(alice, id).statusCode(), "a TTL after its last bytes, it expires");
    }
}
