package dev.sealpost.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.Json;
import dev.sealpost.protocol.MessageSummary;
import io.javalin.http.sse.SseClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Server-Sent Events push: every open {@code GET /v1/events} stream is a subscription with
 * its own queue, drained by the request's own (virtual) thread, which is the only writer to
 * that response. So a slow reader never blocks a sender, events reach each stream in order,
 * and a keep-alive comment goes out whenever nothing else did for a while.
 *
 * <p>A stream ends when the client goes away (noticed at the next write), when its token
 * expires, when its queue overflows (a reader that stopped reading), when the same account
 * opens more than {@link #MAX_STREAMS_PER_ACCOUNT} streams (the oldest ends), or when the
 * relay stops. Clients should list their inbox after (re)connecting: events are not replayed.
 */
final class EventHub implements Mailboxes.Listener, AutoCloseable {
    static final int MAX_STREAMS_PER_ACCOUNT = 8;
    private static final int QUEUE_LIMIT = 1_000;
    private static final Object CLOSE = new Object();

    private record Event(String id, String json) {}

    /** One open event stream. */
    static final class Subscription {
        private final String account;
        private final Instant expiresAt;
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
        private volatile boolean closed;

        private Subscription(String account, Instant expiresAt) {
            this.account = account;
            this.expiresAt = expiresAt;
        }

        private void end() {
            closed = true;
            queue.offer(CLOSE); // wakes the writer; if the queue is full it sees the flag next
        }
    }

    private final ObjectMapper json = Json.mapper();
    private final Duration keepAlive;
    private final Clock clock;
    private final Map<String, Deque<Subscription>> byAccount = new HashMap<>();
    private boolean closed;

    /**
     * @param keepAlive time without output after which a comment is sent (proxies and clients
     *                  drop idle connections)
     */
    EventHub(Duration keepAlive, Clock clock) {
        this.keepAlive = keepAlive;
        this.clock = clock;
    }

    /** Registers a stream for the caller; events published from now on reach it. */
    synchronized Subscription subscribe(SessionManager.Caller caller) {
        Subscription s = new Subscription(caller.account(), caller.expiresAt());
        if (closed) {
            s.end();
            return s;
        }
        Deque<Subscription> mine = byAccount.computeIfAbsent(caller.account(), a -> new ArrayDeque<>());
        mine.addLast(s);
        if (mine.size() > MAX_STREAMS_PER_ACCOUNT) {
            mine.removeFirst().end();
        }
        return s;
    }

    @Override
    public void delivered(List<String> recipients, MessageSummary summary) {
        Event event;
        try {
            event = new Event(summary.id(), json.writeValueAsString(summary));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a message summary", e);
        }
        for (Subscription s : subscriptionsOf(recipients)) {
            if (!s.queue.offer(event)) {
                s.end(); // the reader stopped reading; it will reconnect and list its inbox
            }
        }
    }

    /**
     * Writes the subscription's events to the stream until it ends. Runs on the request's
     * thread; returns when the stream is over.
     */
    void stream(SseClient client, Subscription s) {
        try {
            client.sendComment("connected");
            while (!client.terminated() && !s.closed) {
                Object next = s.queue.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
                if (next == CLOSE || s.closed) {
                    break;
                }
                if (!clock.instant().isBefore(s.expiresAt)) {
                    client.sendComment(SessionManager.EXPIRED);
                    break;
                }
                if (next instanceof Event e) {
                    client.sendEvent(Api.MESSAGE_EVENT, e.json(), e.id());
                } else {
                    client.sendComment("keep-alive");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            unsubscribe(s);
            client.close();
        }
    }

    /**
     * Ends every open stream and keeps taking new ones: their clients reconnect and list their
     * inboxes, which is how they learn of messages whose events were lost (see {@link ClusterEvents}).
     *
     * @return how many streams were ended
     */
    synchronized int endAll() {
        int ended = 0;
        for (Deque<Subscription> d : byAccount.values()) {
            ended += d.size();
            d.forEach(Subscription::end);
        }
        byAccount.clear();
        return ended;
    }

    /** Ends every stream; later subscriptions end at once. */
    @Override
    public synchronized void close() {
        closed = true;
        byAccount.values().forEach(d -> d.forEach(Subscription::end));
        byAccount.clear();
    }

    /** @return open streams of every account (for the metrics) */
    synchronized int streams() {
        int n = 0;
        for (Deque<Subscription> d : byAccount.values()) {
            n += d.size();
        }
        return n;
    }

    /** @return open streams of {@code account} (for tests) */
    synchronized int streamsOf(String account) {
        Deque<Subscription> d = byAccount.get(account);
        return d == null ? 0 : d.size();
    }

    private synchronized List<Subscription> subscriptionsOf(List<String> accounts) {
        List<Subscription> out = new ArrayList<>();
        for (String a : accounts) {
            Deque<Subscription> d = byAccount.get(a);
            if (d != null) {
                out.addAll(d);
            }
        }
        return out;
    }

    private synchronized void unsubscribe(Subscription s) {
        s.end();
        Deque<Subscription> d = byAccount.get(s.account);
        if (d != null && d.remove(s) && d.isEmpty()) {
            byAccount.remove(s.account);
        }
    }
}
