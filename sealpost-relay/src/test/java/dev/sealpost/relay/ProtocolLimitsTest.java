package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageList;
import dev.sealpost.protocol.SendResponse;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The protocol's limits agree with the relay's: the largest send the protocol allows
 * ({@link Api#MAX_RECIPIENTS} longest names, {@link Api#MAX_BLOBS_PER_MESSAGE} blobs) fits in
 * the request head the relay reads and in the default upload rate limit; one more of either is
 * a 400 that says why, not a 414 from the HTTP parser.
 */
class ProtocolLimitsTest extends RelayTestBase {
    static final byte[] SEALED = "sealed message naming its blobs".getBytes();

    @Override
    RelayConfig configure(RelayConfig defaults) {
        // registering 101 accounts from one address; the upload limit keeps its default on purpose
        return defaults.withRateLimit(RateLimit.REGISTRATION, new RateLimit.Limit(1000, Duration.ofHours(1)));
    }

    /** A valid name of exactly {@link AccountName#MAX_LENGTH} characters, different for each i. */
    static String longestName(int i) {
        String n = String.format("r%03d", i);
        return n + "x".repeat(AccountName.MAX_LENGTH - n.length());
    }

    @Test
    void largestSend_isAccepted_andOneMoreOfEitherIs400() {
        String alice = client.account("alice");
        List<String> to = new ArrayList<>();
        for (int i = 0; i <= Api.MAX_RECIPIENTS; i++) { // one more than the limit, for the 400 below
            String name = longestName(i);
            assertEquals(201, client.register(name, "password of " + name).statusCode());
            to.add(name);
        }
        List<String> blobs = new ArrayList<>();
        for (int i = 0; i <= Api.MAX_BLOBS_PER_MESSAGE; i++) {
            if (i == Api.MAX_BLOBS_PER_MESSAGE) {
                // RateLimit.UPLOAD's default bucket holds exactly the largest message's uploads
                assertEquals(429, client.createUpload(alice, 1).statusCode());
                clock.advance(Duration.ofSeconds(1));
            }
            String id = client.upload(alice, 1);
            assertEquals(Api.ID_LENGTH, id.length());
            assertEquals(204, client.patch(alice, id, 0, new byte[] {(byte) i}).statusCode());
            blobs.add(id);
        }
        List<String> maxTo = to.subList(0, Api.MAX_RECIPIENTS);
        List<String> maxBlobs = blobs.subList(0, Api.MAX_BLOBS_PER_MESSAGE);
        int uriBytes = uri(maxTo, maxBlobs).length();
        assertTrue(uriBytes > 30_000 && uriBytes < Api.MAX_REQUEST_HEAD_BYTES - 8 * 1024, "URI of " + uriBytes + " bytes");

        HttpResponse<String> tooManyRecipients = client.sendMessage(alice, SEALED, to, maxBlobs);
        assertEquals(400, tooManyRecipients.statusCode(), tooManyRecipients.body());
        assertEquals("too many recipients: at most 100", client.error(tooManyRecipients));
        HttpResponse<String> tooManyBlobs = client.sendMessage(alice, SEALED, maxTo, blobs);
        assertEquals(400, tooManyBlobs.statusCode(), tooManyBlobs.body());
        assertEquals("too many blobs: at most 1000", client.error(tooManyBlobs));

        HttpResponse<String> sent = client.sendMessage(alice, SEALED, maxTo, maxBlobs);
        assertEquals(201, sent.statusCode(), sent.body());
        String message = client.read(sent, SendResponse.class).id();

        // the last recipient sees it and can fetch the last blob
        String last = maxTo.get(maxTo.size() - 1);
        String token = client.read(client.login(last, "password of " + last), dev.sealpost.protocol.SessionResponse.class).token();
        assertEquals(List.of(message), client.read(client.get(Api.MESSAGES, token), MessageList.class).messages()
                .stream().map(m -> m.id()).toList());
        HttpResponse<byte[]> blob = client.blob(token, message, maxBlobs.get(maxBlobs.size() - 1), null);
        assertEquals(200, blob.statusCode());
        assertArrayEquals(new byte[] {(byte) (Api.MAX_BLOBS_PER_MESSAGE - 1)}, blob.body());
    }

    private static String uri(List<String> to, List<String> blobs) {
        return Api.MESSAGES + "?" + Stream.concat(
                to.stream().map(n -> Api.TO_PARAM + "=" + URLEncoder.encode(n, StandardCharsets.UTF_8)),
                blobs.stream().map(b -> Api.BLOB_PARAM + "=" + b)).collect(Collectors.joining("&"));
    }
}
