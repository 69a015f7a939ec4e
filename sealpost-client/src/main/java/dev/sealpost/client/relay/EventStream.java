package dev.sealpost.client.relay;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageSummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.HttpsURLConnection;

/**
 * The relay's push of new mail: {@code GET /v1/events} as Server-Sent Events (the
 * {@code text/event-stream} format of the WHATWG HTML standard, §9.2), one {@code message}
 * event per new message, with its summary as JSON data.
 */
public final class EventStream {
    private final RelayTransport transport;

    /** @param transport an authenticated connection to the relay */
    public EventStream(RelayTransport transport) {
        this.transport = transport;
    }

    /**
     * Follows the stream and hands each {@code message} event to {@code onMessage}, until the
     * relay closes the stream; other events and comments (keep-alives) are skipped.
     *
     * @param onOpen    called once the stream is open, before any event: the moment to look
     *                  for messages that arrived before the subscription
     * @param onMessage called for each new message, checked like {@link MessageApi#inbox()}'s entries
     * @throws RelayException.Refused if the stream cannot be opened (401, 404)
     * @throws RelayException.Unreachable if the connection fails or breaks (then follow again)
     */
    public void follow(Runnable onOpen, Consumer<MessageSummary> onMessage) throws IOException {
        HttpsURLConnection c = transport.open(Api.EVENTS, Duration.ZERO); // events may be hours apart
        try {
            c.setRequestProperty("Accept", "text/event-stream");
            int status;
            try {
                status = c.getResponseCode();
            } catch (IOException e) {
                throw transport.failure(e);
            }
            if (status != 200) {
                throw transport.refusal(c, status);
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                onOpen.run();
                read(lines, onMessage);
            } catch (RelayException e) {
                throw e;
            } catch (IOException e) {
                throw new RelayException.Unreachable("lost the event stream from relay " + transport.hostPort() + ": "
                        + RelayTransport.oneLine(String.valueOf(e.getMessage())));
            }
        } finally {
            c.disconnect();
        }
    }

    private void read(BufferedReader lines, Consumer<MessageSummary> onMessage) throws IOException {
        String event = "message";
        StringBuilder data = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (Api.MESSAGE_EVENT.equals(event) && !data.isEmpty()) {
                    MessageSummary m;
                    try {
                        m = transport.json.readValue(data.toString(), MessageSummary.class);
                    } catch (IOException e) {
                        m = null;
                    }
                    onMessage.accept(MessageApi.checked(transport, m));
                }
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
        }
    }
}
