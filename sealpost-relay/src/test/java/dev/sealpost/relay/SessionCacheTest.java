package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.SessionResponse;
import dev.sealpost.relay.store.MetadataStore;
import dev.sealpost.relay.store.StoreException;
import dev.sealpost.relay.store.Stores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session cache of {@link SessionManager} on a real SQLite store: sessions in use are read
 * again in the background and never waited for, requests share one read, and no revocation is
 * outlived by more than {@link SessionManager#CACHE_FOR}, nor one made here by any read.
 * The monotonic clock and the background thread are the test's, so every step is deterministic.
 */
@Timeout(60)
class SessionCacheTest {
    @TempDir
    Path dir;

    private MetadataStore real;
    /** Store reads of a session ({@code token}) so far. */
    private final AtomicInteger reads = new AtomicInteger();
    /** When set, the next read returns what it read only once {@link #release} opens; {@link #held} opens when it got there. */
    private final AtomicBoolean holdNext = new AtomicBoolean();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    /** Writes of a session's last use ({@code touchToken}) so far. */
    private final AtomicInteger touches = new AtomicInteger();
    /** When set, the next such write returns only once {@link #touchRelease} opens; {@link #touchHeld} opens when it got there. */
    private final AtomicBoolean holdNextTouch = new AtomicBoolean();
    private final CountDownLatch touchHeld = new CountDownLatch(1);
    private final CountDownLatch touchRelease = new CountDownLatch(1);
    /** When set, reads fail as a database that went away would. */
    private volatile boolean broken;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Queue<Runnable> background = new ArrayDeque<>();
    private final MutableClock clock = MutableClock.startingNow();
    private SessionManager sessions;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws Exception {
        real = Stores.sqlite(dir.resolve("relay.db"));
        real.createAccount("alice", "not a real hash", clock.instant());
        MetadataStore counting = (MetadataStore) Proxy.newProxyInstance(MetadataStore.class.getClassLoader(),
                new Class<?>[] {MetadataStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("token")) {
                        reads.incrementAndGet();
                        if (broken) {
                            throw new StoreException("database unreachable", null);
                        }
                    }
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("touchToken")) {
                        touches.incrementAndGet();
                        if (holdNextTouch.compareAndSet(true, false)) {
                            touchHeld.countDown();
                            assertTrue(touchRelease.await(10, TimeUnit.SECONDS));
                        }
                    }
                    if (method.getName().equals("token") && holdNext.compareAndSet(true, false)) {
                        held.countDown();
                        assertTrue(release.await(10, TimeUnit.SECONDS));
                    }
                    return result;
                });
        sessions = new SessionManager(counting, Duration.ofDays(1), clock, nanos::get, background::add);
    }

    @AfterEach
    void close() throws Exception {
        release.countDown();
        touchRelease.countDown();
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        sessions.close();
        real.close();
    }

    private void after(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private String login() {
        SessionResponse r = sessions.issue("alice", "test", "127.0.0.1");
        return "Bearer " + r.token();
    }

    private void runBackground() {
        Runnable r;
        while ((r = background.poll()) != null) {
            r.run();
        }
    }

    @Test
    void aSessionInUse_isReadAgainInTheBackground_neverWaitedFor() {
        String a = login();
        sessions.authenticate(a);
        assertEquals(1, reads.get(), "not remembered yet: read");
        after(Duration.ofMillis(400));
        sessions.authenticate(a);
        assertEquals(1, reads.get(), "remembered");
        assertTrue(background.isEmpty(), "too young to read again");

        after(Duration.ofMillis(200)); // 600 ms: past REFRESH_AFTER
        sessions.authenticate(a);
        sessions.authenticate(a);
        assertEquals(1, reads.get(), "served from memory while the read waits");
        assertEquals(1, background.size(), "one background read, however many requests");
        runBackground();
        assertEquals(2, reads.get());

        after(Duration.ofMillis(700)); // 1.3 s after the first read, 0.7 s after the background one
        sessions.authenticate(a);
        assertEquals(2, reads.get(), "the background read renewed it: no request waited for the store");
        assertEquals(1, background.size(), "and it is half a second old again");
    }

    /**
     * A session's last use is written by one request: those that find the write due while it
     * runs neither write it too nor wait for it (on PostgreSQL such writes of one row queue on
     * each other's commits). A minute later it is written again.
     */
    @Test
    void aSessionsLastUse_isWrittenByOneRequest_theOthersNeitherWriteNorWait() throws Exception {
        String a = login();
        holdNextTouch.set(true);
        Future<?> first = threads.submit(() -> sessions.authenticate(a)); // never used: due, and held in its write
        assertTrue(touchHeld.await(10, TimeUnit.SECONDS));
        List<Future<SessionManager.Caller>> others = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            others.add(threads.submit(() -> sessions.authenticate(a)));
        }
        for (Future<SessionManager.Caller> f : others) {
            assertEquals("alice", f.get(5, TimeUnit.SECONDS).account(), "served while the write is held");
        }
        assertEquals(1, touches.get(), "one write, however many requests find it due");
        touchRelease.countDown();
        first.get(10, TimeUnit.SECONDS);

        clock.advance(Duration.ofSeconds(30));
        sessions.authenticate(a);
        assertEquals(1, touches.get(), "written 30 s ago");
        clock.advance(Duration.ofSeconds(31));
        sessions.authenticate(a);
        assertEquals(2, touches.get(), "written again a minute later");
        assertEquals(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                real.tokens("alice", clock.instant()).getFirst().lastUsedAt());
    }

    @Test
    void aSessionRevokedElsewhere_isRefusedOnceABackgroundReadSeesIt() {
        String a = login();
        sessions.authenticate(a);
        assertEquals(1, real.deleteTokensExcept("alice", null), "another node revokes it");
        after(Duration.ofMillis(600));
        sessions.authenticate(a); // remembered: another node's revocation may take up to CACHE_FOR
        runBackground();
        var e = assertThrows(ApiError.Unauthorized.class, () -> sessions.authenticate(a));
        assertEquals(SessionManager.INVALID, e.getMessage(), "refused before the cache time is up");
    }

    @Test
    void aSessionRevokedElsewhere_isNeverServedPastTheCacheTime_evenWhenTheBackgroundReadIsLate() {
        String a = login();
        sessions.authenticate(a);
        real.deleteTokensExcept("alice", null);
        after(Duration.ofMillis(600));
        sessions.authenticate(a);
        assertEquals(1, background.size(), "queued, not run: the refresher is busy");
        after(Duration.ofMillis(400)); // exactly CACHE_FOR after the read
        assertThrows(ApiError.Unauthorized.class, () -> sessions.authenticate(a));
        assertEquals(2, reads.get(), "the request read it itself");
        runBackground();
        assertEquals(2, reads.get(), "the late background read, already done by the request, does not run again");
    }

    @Test
    void requestsThatNeedTheSameSession_shareOneRead() throws Exception {
        String a = login();
        holdNext.set(true);
        List<Future<SessionManager.Caller>> callers = new ArrayList<>();
        callers.add(threads.submit(() -> sessions.authenticate(a)));
        assertTrue(held.await(10, TimeUnit.SECONDS));
        List<Thread> waiting = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(7);
        for (int i = 0; i < 7; i++) {
            callers.add(threads.submit(() -> {
                synchronized (waiting) {
                    waiting.add(Thread.currentThread());
                }
                started.countDown();
                return sessions.authenticate(a);
            }));
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (waiting) {
            for (Thread t : waiting) { // each parks on the shared read (or would have read, and counted, by now)
                while (t.getState() != Thread.State.WAITING && reads.get() == 1 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
        }
        release.countDown();
        for (Future<SessionManager.Caller> c : callers) {
            assertEquals("alice", c.get(10, TimeUnit.SECONDS).account());
        }
        assertEquals(1, reads.get(), "eight requests, one read");
    }

    @Test
    void aRequestAfterARevocationHere_neverTakesAReadBegunBeforeIt() throws Exception {
        String keep = login();
        String gone = login();
        SessionManager.Caller keeper = sessions.authenticate(keep);
        holdNext.set(true);
        Future<SessionManager.Caller> racing = threads.submit(() -> sessions.authenticate(gone));
        assertTrue(held.await(10, TimeUnit.SECONDS)); // its read saw the session, and is not done
        assertEquals(1, sessions.revokeOthers(keeper));

        var e = assertThrows(ApiError.Unauthorized.class, () -> sessions.authenticate(gone),
                "a request after the revocation returned reads again, rather than share the read begun before it");
        assertEquals(SessionManager.INVALID, e.getMessage());
        release.countDown();
        assertEquals("alice", racing.get(10, TimeUnit.SECONDS).account(), "the request racing the revocation may pass");
        assertThrows(ApiError.Unauthorized.class, () -> sessions.authenticate(gone), "but what it read is not remembered");
        assertEquals(4, reads.get(), "keep, the racing read, the read after the revocation, the last one");
    }

    @Test
    void aStoreThatFails_failsTheRequestThatWaits_notTheOnesServedFromMemory() {
        String a = login();
        sessions.authenticate(a);
        broken = true;
        after(Duration.ofMillis(600));
        sessions.authenticate(a);
        runBackground(); // fails, logged
        after(Duration.ofMillis(300));
        assertEquals("alice", sessions.authenticate(a).account(), "still within CACHE_FOR of the last good read");
        after(Duration.ofMillis(100));
        assertThrows(StoreException.class, () -> sessions.authenticate(a), "the store's failure, not a refusal of the token");
        broken = false;
        assertEquals("alice", sessions.authenticate(a).account(), "works again once the store does");
    }
}
