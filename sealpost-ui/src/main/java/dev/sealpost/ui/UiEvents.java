package dev.sealpost.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.protocol.Json;
import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Server push to the UI's pages ({@code GET /api/events}, Server-Sent Events): send progress and
 * results. Each page gets its own bounded queue; a page that stops reading loses its stream
 * (the browser's EventSource reconnects) rather than holding memory.
 */
final class UiEvents implements AutoCloseable {
    /** Events a page may fall behind by before its stream is ended. */
    static final int QUEUE = 1024;
    /** A comment every so often keeps the stream open through idle timeouts. */
    static final long KEEP_ALIVE_MILLIS = 15_000;
    private static final Object END = new Object();
    private final ObjectMapper json = Json.mapper();
    private final Set<BlockingQueue<Object>> pages = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private record Event(String name, String json) {}

    /** Sends {@code payload} as JSON in an event named {@code name} to every open page. */
    void publish(String name, Object payload) {
        String data;
        try {
            data = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + payload.getClass().getName(), e);
        }
        Event event = new Event(name, data);
        for (BlockingQueue<Object> q : pages) {
            if (!q.offer(event)) {
                pages.remove(q);
                q.clear();
                q.offer(END);
            }
        }
    }

    /** Streams events to one page until it goes away or the server stops; runs on the request's thread. */
    void stream(SseClient client) {
        BlockingQueue<Object> q = new ArrayBlockingQueue<>(QUEUE);
        pages.add(q);
        try {
            client.sendComment("connected");
            while (!client.terminated() && !closed) {
                Object next = q.poll(KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS);
                if (next == END) {
                    break;
                }
                if (next instanceof Event e) {
                    client.sendEvent(e.name(), e.json());
                } else {
                    client.sendComment("keep-alive");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pages.remove(q);
            client.close();
        }
    }

    /** Ends every stream. */
    @Override
    public void close() {
        closed = true;
        pages.forEach(q -> q.offer(END));
    }
}
