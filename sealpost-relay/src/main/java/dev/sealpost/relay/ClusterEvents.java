package dev.sealpost.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.protocol.Json;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.relay.store.NodeChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push across relay nodes that share one PostgreSQL database. A message accepted by this node
 * reaches the event streams open on this node at once, in process, as on a single node, and
 * then every other node through a {@link NodeChannel} notice, which the other nodes hand to
 * their own {@link EventHub}. Each notice names the node that sent it, so a node skips its own
 * (its streams had the event already): every stream gets each event exactly once.
 *
 * <p>A notice is published after the message is committed, so a node never announces a message
 * that a rollback then removes; a node that dies between the two leaves that message
 * unannounced, and its recipients see it at their next listing. Notices leave from an outbox on
 * a thread of their own, all those waiting in one transaction: a send does not wait for its
 * notice, and a busy node notifies once per batch instead of once per message (each notifying
 * commit takes PostgreSQL's database-wide notify lock). The outbox holds at most
 * {@value #OUTBOX_NOTICES} notices; beyond that, notices are dropped with a warning, as if the
 * listening connection had been lost for them. A notice holds routing data
 * only, never content: the node, the recipients and the {@link MessageSummary} (id, sender,
 * size, times), about 120 bytes plus 35 per recipient; more recipients than fit in one notice
 * go in several.
 *
 * <p>When this node's listening connection was lost, the notices of that time are lost with
 * it: once it listens again, every stream open here is ended, and the clients do what they do
 * after any reconnect, list their inbox (see {@link EventHub}).
 */
final class ClusterEvents implements Mailboxes.Listener, NodeChannel.Receiver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);

    /** What one node tells the others about one message. */
    record Notice(String node, List<String> to, MessageSummary message) {}

    /** Opens the channel that delivers notices to the given receiver. */
    @FunctionalInterface
    interface ChannelOpener {
        NodeChannel open(NodeChannel.Receiver receiver) throws IOException;
    }

    /** Most notices waiting to be published; more are dropped. */
    static final int OUTBOX_NOTICES = 10_000;
    /** Most notices published in one transaction. */
    static final int BATCH_NOTICES = 256;
    /** Longest wait of the idle publisher before it checks whether the node is closing, in ms. */
    private static final long IDLE_POLL_MILLIS = 200;
    /** Longest wait at close for the notices still in the outbox, in ms. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final ObjectMapper json = Json.mapper();
    private final EventHub local;
    private final String node;
    private final NodeChannel channel;
    private final BlockingQueue<String> outbox = new LinkedBlockingQueue<>(OUTBOX_NOTICES);
    private final Thread publisher;
    private volatile boolean closed;

    /**
     * @param local  the event streams of this node
     * @param opener opens the channel; called once, here
     * @throws IOException if the channel cannot be opened
     */
    ClusterEvents(EventHub local, ChannelOpener opener) throws IOException {
        this.local = local;
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        this.node = HexFormat.of().formatHex(id);
        this.channel = opener.open(this);
        this.publisher = Thread.ofPlatform().name("sealpost-relay-notify").daemon().start(this::publishOutbox);
    }

    /** Delivers to this node's streams, then queues the notice for the other nodes. Never throws for the second part. */
    @Override
    public void delivered(List<String> recipients, MessageSummary summary) {
        local.delivered(recipients, summary);
        try {
            publish(recipients, summary);
        } catch (RuntimeException e) { // the message is stored and pushed here; other nodes' clients list it later
            LOG.warn("cannot tell other relay nodes about message {}: {}", summary.id(), e.toString());
        }
    }

    private void publish(List<String> recipients, MessageSummary summary) {
        String payload;
        try {
            payload = json.writeValueAsString(new Notice(node, recipients, summary));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a notice", e);
        }
        if (payload.getBytes(StandardCharsets.UTF_8).length <= NodeChannel.MAX_PAYLOAD_BYTES) {
            if (!outbox.offer(payload)) {
                LOG.warn("{} notices wait for the database already: message {} is not announced to other relay nodes "
                        + "(its recipients there see it at their next listing)", OUTBOX_NOTICES, summary.id());
            }
        } else if (recipients.size() > 1) {
            int half = recipients.size() / 2;
            publish(recipients.subList(0, half), summary);
            publish(recipients.subList(half, recipients.size()), summary);
        } else {
            throw new IllegalStateException("a notice for one recipient is over " + NodeChannel.MAX_PAYLOAD_BYTES + " bytes");
        }
    }

    @Override
    public void received(String payload) {
        Notice notice;
        try {
            notice = json.readValue(payload, Notice.class);
        } catch (IOException e) {
            LOG.warn("ignored a malformed notice from another relay node: {}", e.getMessage());
            return;
        }
        if (notice.node() == null || notice.to() == null || notice.message() == null) {
            LOG.warn("ignored an incomplete notice from another relay node");
        } else if (!node.equals(notice.node())) {
            local.delivered(notice.to(), notice.message());
        }
    }

    @Override
    public void resumed() {
        int ended = local.endAll();
        LOG.info("ended {} event streams: their clients reconnect and list what they may have missed", ended);
    }

    /** @return this node's id in its notices (random per process) */
    String node() {
        return node;
    }

    /** Publishes what waits in the outbox, a batch per transaction, until closed and empty. */
    private void publishOutbox() {
        List<String> batch = new ArrayList<>(BATCH_NOTICES);
        while (true) {
            boolean last = false;
            try {
                String first = outbox.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                }
            } catch (InterruptedException e) { // close() stopped waiting: one last batch
                last = true;
            }
            outbox.drainTo(batch, BATCH_NOTICES - batch.size());
            if (!batch.isEmpty()) {
                try {
                    channel.publish(batch);
                } catch (RuntimeException e) {
                    LOG.warn("cannot tell other relay nodes about {} messages: {}", batch.size(), e.toString());
                }
                batch.clear();
            } else if (closed) {
                return;
            }
            if (last) {
                return;
            }
        }
    }

    /**
     * Publishes the notices still waiting (up to a few seconds), then stops listening; the local
     * streams are closed by their {@link EventHub}.
     */
    @Override
    public void close() {
        closed = true;
        try {
            publisher.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.interrupt();
        channel.close();
    }
}
