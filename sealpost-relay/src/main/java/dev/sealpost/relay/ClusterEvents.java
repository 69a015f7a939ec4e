package dev.sealpost.relay;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.protocol.Json;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.relay.store.MetadataStore;
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
 * Push across relay nodes that share one PostgreSQL database, and what they remember of
 * deliveries kept right. A message accepted by this node
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
 * <p>Deliveries deleted here (a recipient acknowledged a message, or it expired) go out the same
 * way, as notices that list the message ids ({@value #FORGET_IDS} at most per notice); every
 * other node passes them to its store's {@link MetadataStore#forgetDeliveries}, so that what it
 * remembers of the messages it stored itself ({@link MetadataStore#rememberDeliveries}) is right
 * milliseconds after the commit here. The store remembers only while this node hears the
 * notices: on from the start (before the relay serves, so nothing is stored until the first
 * {@code LISTEN} has run), off when listening is lost, on again (everything forgotten) once it
 * resumes, off at close. A notice lost anyway (this node died between commit and notice, the
 * outbox was full) is covered by the store's limit on how long it uses what it remembers.
 *
 * <p>When this node's listening connection was lost, the notices of that time are lost with
 * it: once it listens again, every stream open here is ended, and the clients do what they do
 * after any reconnect, list their inbox (see {@link EventHub}).
 */
final class ClusterEvents implements Mailboxes.Listener, NodeChannel.Receiver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);

    /**
     * What one node tells the others: about one message ({@code to} and {@code message}), or
     * that deliveries of some messages were deleted ({@code forget}); the other fields are null.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Notice(String node, List<String> to, MessageSummary message, List<String> forget) {
        Notice(String node, List<String> to, MessageSummary message) {
            this(node, to, message, null);
        }
    }

    /** Opens the channel that delivers notices to the given receiver. */
    @FunctionalInterface
    interface ChannelOpener {
        NodeChannel open(NodeChannel.Receiver receiver) throws IOException;
    }

    /** Most message ids in one notice of deleted deliveries (22 characters each, 3 of JSON). */
    static final int FORGET_IDS = 256;
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
    private final MetadataStore store;
    private final String node;
    private final NodeChannel channel;
    private final BlockingQueue<String> outbox = new LinkedBlockingQueue<>(OUTBOX_NOTICES);
    private final Thread publisher;
    private volatile boolean closed;

    /**
     * @param local  the event streams of this node
     * @param store  this node's store: told to remember deliveries once listening, and what to forget
     * @param opener opens the channel, listening before it returns; called once, here
     * @throws IOException if the channel cannot be opened
     */
    ClusterEvents(EventHub local, MetadataStore store, ChannelOpener opener) throws IOException {
        this.local = local;
        this.store = store;
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        this.node = HexFormat.of().formatHex(id);
        // On before the first LISTEN, so that the channel's thread, once it runs, alone turns it
        // off and on; nothing is stored before the relay serves, so nothing can miss a notice.
        store.rememberDeliveries(true);
        try {
            this.channel = opener.open(this);
        } catch (IOException | RuntimeException e) {
            store.rememberDeliveries(false);
            throw e;
        }
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

    /** Queues notices of the deleted deliveries for the other nodes. Never throws. */
    @Override
    public void deliveriesDeleted(List<String> messageIds) {
        for (int from = 0; from < messageIds.size(); from += FORGET_IDS) {
            try {
                forget(List.copyOf(messageIds.subList(from, Math.min(messageIds.size(), from + FORGET_IDS))));
            } catch (RuntimeException e) {
                LOG.warn("cannot tell other relay nodes about deleted deliveries: {}", e.toString());
            }
        }
    }

    private void forget(List<String> ids) {
        String payload = serialize(new Notice(node, null, null, ids));
        if (payload.getBytes(StandardCharsets.UTF_8).length > NodeChannel.MAX_PAYLOAD_BYTES) {
            // only for ids longer than the relay's own; one such must not fail a whole batch
            if (ids.size() == 1) {
                LOG.warn("a message id too long for a notice: other relay nodes do not hear of its deleted deliveries");
                return;
            }
            forget(ids.subList(0, ids.size() / 2));
            forget(ids.subList(ids.size() / 2, ids.size()));
        } else if (!outbox.offer(payload)) {
            LOG.warn("{} notices wait for the database already: other relay nodes do not hear of {} deleted "
                    + "deliveries (they stop using what they remember of them within {} s)", OUTBOX_NOTICES, ids.size(),
                    MetadataStore.SHARED_RECENT_TTL.toSeconds());
        }
    }

    private String serialize(Notice notice) {
        try {
            return json.writeValueAsString(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a notice", e);
        }
    }

    private void publish(List<String> recipients, MessageSummary summary) {
        String payload = serialize(new Notice(node, recipients, summary));
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
        if (notice.node() != null && notice.forget() != null && notice.to() == null && notice.message() == null) {
            if (!node.equals(notice.node())) { // this node forgot its own before the commit
                store.forgetDeliveries(notice.forget());
            }
        } else if (notice.node() == null || notice.to() == null || notice.message() == null) {
            LOG.warn("ignored an incomplete notice from another relay node");
        } else if (!node.equals(notice.node())) {
            local.delivered(notice.to(), notice.message());
        }
    }

    @Override
    public void lost() {
        store.rememberDeliveries(false); // other nodes' deletions go unheard until listening resumes
    }

    @Override
    public void resumed() {
        store.rememberDeliveries(true); // forgets what may have missed them, remembers from now on
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
        store.rememberDeliveries(false); // nothing is heard from other nodes after this
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
