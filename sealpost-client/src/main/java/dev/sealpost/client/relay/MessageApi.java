package dev.sealpost.client.relay;

import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageList;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.util.List;
import java.util.StringJoiner;

/**
 * Sealed messages on the relay: post one, list the caller's, fetch one whole, acknowledge it
 * ({@code /v1/messages}, {@link Api}). The relay sees only ciphertext and routing metadata.
 */
public final class MessageApi {
    private final RelayTransport transport;

    /** @param transport an authenticated connection to the relay */
    public MessageApi(RelayTransport transport) {
        this.transport = transport;
    }

    /**
     * Posts a sealed message that may reference completed uploads as its streamed files. The
     * body is sent with a fixed length, which the JDK never sends twice, so a message is not
     * posted twice by a retry.
     *
     * @param sealed  DER bytes of the S/MIME message
     * @param to      recipient account names
     * @param blobIds ids of completed uploads ({@link TusUploads}) the message references
     * @return the message's id and recipients
     * @throws RelayException.Refused 400 if an upload is not complete, 404 for an unknown
     *                                recipient or upload, 413 if too large
     * @throws RelayException.RateLimited if the relay limits sending
     */
    public SendResponse send(byte[] sealed, List<String> to, List<String> blobIds) throws IOException {
        StringJoiner q = new StringJoiner("&", "?", "");
        to.forEach(n -> q.add(Api.TO_PARAM + "=" + RelayTransport.enc(n)));
        blobIds.forEach(b -> q.add(Api.BLOB_PARAM + "=" + RelayTransport.enc(b)));
        return transport.parse(transport.exchange("POST", Api.MESSAGES + q, Api.SEALED_MEDIA_TYPE, sealed, true,
                RelayTransport.JSON_BYTES), SendResponse.class);
    }

    /**
     * @return the caller's pending messages, oldest first, each checked for the shapes the
     *         relay produces (ids and names end up in file names and on the terminal)
     * @throws RelayException.Refused 502 for a malformed entry
     */
    public List<MessageSummary> inbox() throws IOException {
        List<MessageSummary> list = transport.json("GET", Api.MESSAGES, null, MessageList.class).messages();
        for (MessageSummary m : list) {
            checked(transport, m);
        }
        return list;
    }

    /**
     * Downloads one sealed message whole.
     *
     * @param id       the message id
     * @param maxBytes refuse answers larger than this many bytes
     * @return the sealed bytes
     * @throws RelayException.Refused 404 if it does not exist or is not addressed to the caller;
     *                                413 if it is larger than {@code maxBytes}
     */
    public byte[] fetch(String id, long maxBytes) throws IOException {
        RelayTransport.Reply res = transport.exchange("GET", Api.MESSAGE.replace("{id}", RelayTransport.enc(id)), null, null,
                false, maxBytes);
        if (res.status() != 200) {
            throw transport.refusal(res);
        }
        if (res.body().length > maxBytes) {
            throw new RelayException.Refused(413, "message " + id + " is larger than " + maxBytes + " bytes");
        }
        return res.body();
    }

    /** Acknowledges a message: the relay forgets it for the caller. @throws RelayException.Refused 404 if unknown */
    public void acknowledge(String id) throws IOException {
        transport.json("DELETE", Api.MESSAGE.replace("{id}", RelayTransport.enc(id)), null, Void.class);
    }

    /** @return {@code m} if its id, sender and time have the shapes the relay produces */
    static MessageSummary checked(RelayTransport transport, MessageSummary m) throws RelayException {
        if (m == null || m.id() == null || !m.id().matches(RelayTransport.ID) || !AccountName.isValid(m.sender())
                || m.sentAt() == null) {
            throw transport.malformed("a malformed message entry");
        }
        return m;
    }
}
