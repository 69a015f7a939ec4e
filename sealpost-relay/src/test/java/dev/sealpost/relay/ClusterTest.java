package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Two relay nodes in one JVM on one PostgreSQL schema (127.0.0.1:5432, database {@code test}),
 * each with a data directory of its own, as two processes behind a balancer would run: push
 * crosses nodes exactly once, the limits against guessing count both nodes' attempts together,
 * and a node whose listening connection is killed listens again. Skipped, with a message, where
 * no PostgreSQL answers.
 */
class ClusterTest {
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = "postgres";
    private static final String END = TestClient.END_OF_STREAM;
    private static final int LOGIN_PERMITS = 4;
    private static final int BODY_BYTES = 4096;

    @TempDir
    Path dataDir1;
    @TempDir
    Path dataDir2;
    String schema;
    MutableClock clock;
    RelayServer node1;
    RelayServer node2;
    TestClient client1;
    TestClient client2;
    private final List<Stream<String>> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(reachable(), "no PostgreSQL at 127.0.0.1:5432: relay cluster tests skipped");
        schema = "c_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(SERVER, USER, null)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        clock = MutableClock.startingNow();
        node1 = RelayServer.start(config(dataDir1), clock);
        node2 = RelayServer.start(config(dataDir2), clock);
        client1 = new TestClient(node1);
        client2 = new TestClient(node2);
    }

    private RelayConfig config(Path dataDir) {
        return RelayConfig.defaults(dataDir).withPort(0)
                .withDatabase(new RelayConfig.Database(SERVER + "?currentSchema=" + schema, USER, null))
                .withRateLimit(RateLimit.LOGIN, new RateLimit.Limit(LOGIN_PERMITS, Duration.ofHours(1)))
                .withRateLimit(RateLimit.REGISTRATION, new RateLimit.Limit(6, Duration.ofHours(1)))
                .withRateLimit(RateLimit.SEND, new RateLimit.Limit(3, Duration.ofHours(1)));
    }

    @AfterEach
    void stop() throws Exception {
        open.forEach(Stream::close);
        if (node1 != null) {
            node1.close();
        }
        if (node2 != null) {
            node2.close();
        }
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(SERVER, USER, null)) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void push_crossesNodes_exactlyOnce() throws Exception {
        String alice = client1.account("alice");
        String bob = client2.account("bob");
        String carol = client1.account("carol");
        BlockingQueue<String> bobOn2 = client2.subscribe(bob, open);
        BlockingQueue<String> carolOn1 = client1.subscribe(carol, open);

        String m1 = send(client1, alice, "one", "bob", "carol");   // bob hears it from node 1's notice
        String m2 = send(client2, alice, "two", "bob", "carol");   // carol hears it from node 2's notice
        // Notices reach a node in commit order: a duplicate of m1 or m2 (a node hearing its own
        // notice) would come before the notice of a later message sent through the other node.
        String toCarol = send(client2, alice, "three", "carol");
        String toBob = send(client1, alice, "four", "bob");

        MessageSummary first = nextMessageEvent(carolOn1);
        assertEquals(m1, first.id());
        assertEquals("alice", first.sender());
        assertEquals(BODY_BYTES, first.size());
        assertEquals(m2, nextMessageEvent(carolOn1).id());
        assertEquals(toCarol, nextMessageEvent(carolOn1).id());
        // Node 2 pushes its own m2 at once; m1's notice may come before or after it.
        assertEquals(Set.of(m1, m2), Set.of(nextMessageEvent(bobOn2).id(), nextMessageEvent(bobOn2).id()));
        assertEquals(toBob, nextMessageEvent(bobOn2).id());
    }

    /**
     * Node 1 answers a fetch of a message it stored from memory; an acknowledgement on node 2
     * reaches it as a notice, after which node 1 refuses the fetch as the database does.
     */
    @Test
    void acknowledgementOnOneNode_isSeenByTheNodeThatRemembersTheMessage() throws Exception {
        String alice = client1.account("alice");
        String bob = client2.account("bob");
        String carol = client2.account("carol");
        String dave = client1.account("dave");
        String id = send(client1, alice, "remembered", "bob", "carol");

        HttpResponse<byte[]> fetched = fetch(client1, id, bob);
        assertEquals(200, fetched.statusCode());
        assertEquals("remembered", new String(fetched.body(), 0, "remembered".length(), StandardCharsets.UTF_8));
        assertEquals(404, fetch(client1, id, dave).statusCode(), "not a recipient");
        assertEquals(404, fetch(client1, id, alice).statusCode(), "the sender is not a recipient");

        assertEquals(204, client2.send(client2.request("/v1/messages/" + id, bob).DELETE().build()).statusCode());
        int status = 200;
        for (int i = 0; i < 100 && status == 200; i++) { // the notice takes milliseconds; 10 s at most
            status = fetch(client1, id, bob).statusCode();
            if (status == 200) {
                Thread.sleep(100);
            }
        }
        assertEquals(404, status, "node 1 still serves bob the message he acknowledged on node 2");
        assertEquals(200, fetch(client1, id, carol).statusCode(), "carol has not acknowledged it");
        assertEquals(404, fetch(client2, id, bob).statusCode());
    }

    /**
     * An expiry swept on one node is announced to the others, as an acknowledgement is (both
     * nodes share this test's clock, so the HTTP answers cannot tell: the channel is read).
     */
    @Test
    void expirySweptOnOneNode_isAnnouncedToTheOthers() throws Exception {
        String alice = client1.account("alice");
        client2.account("bob");
        String id = send(client1, alice, "expiring", "bob");
        try (Connection listener = DriverManager.getConnection(SERVER, USER, null)) {
            listener.createStatement().execute("LISTEN " + channel());
            clock.advance(RelayConfig.DEFAULT_MESSAGE_TTL.plusMinutes(1));
            node2.housekeeping();

            List<String> forgotten = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!forgotten.contains(id) && System.nanoTime() < deadline) {
                PGNotification[] notices = listener.unwrap(PGConnection.class).getNotifications(500);
                for (PGNotification n : notices == null ? new PGNotification[0] : notices) {
                    ClusterEvents.Notice notice = client1.json.readValue(n.getParameter(), ClusterEvents.Notice.class);
                    if (notice.forget() != null) {
                        forgotten.addAll(notice.forget());
                    }
                }
            }
            assertEquals(List.of(id), forgotten);
        }
    }

    private static HttpResponse<byte[]> fetch(TestClient client, String id, String token) {
        return client.sendForBytes(client.request("/v1/messages/" + id, token).GET().build());
    }

    @Test
    void loginLimit_countsAttemptsOnEveryNode() {
        client1.register("alice", "correct horse");
        for (int i = 0; i < LOGIN_PERMITS; i++) {
            TestClient node = i % 2 == 0 ? client1 : client2;
            assertEquals(401, node.login("alice", "wrong horse " + i).statusCode(), "attempt " + (i + 1));
        }

        HttpResponse<String> on1 = client1.login("alice", "correct horse");
        HttpResponse<String> on2 = client2.login("alice", "correct horse");

        assertEquals(429, on1.statusCode());
        assertEquals(429, on2.statusCode());
        // as on one node (RateLimitTest): the next permit in period / permits
        assertEquals("900", on2.headers().firstValue("Retry-After").orElseThrow());
        clock.advance(Duration.ofMinutes(15));
        assertEquals(200, client2.login("alice", "correct horse").statusCode());
        assertEquals(429, client1.login("alice", "correct horse").statusCode());
    }

    @Test
    void loginLimit_concurrentAttemptsOnBothNodes_allowExactlyThePermits() throws Exception {
        // A name with no account: the attempt is counted before any password hash is computed.
        int attempts = 20;
        List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < attempts; i++) {
                TestClient node = i % 2 == 0 ? client1 : client2;
                answers.add(threads.submit(() -> node.login("nobody", "guess").statusCode()));
            }
        }
        int refused = 0;
        for (var a : answers) {
            int status = a.get();
            assertTrue(status == 401 || status == 429, "status " + status);
            refused += status == 429 ? 1 : 0;
        }
        assertEquals(attempts - LOGIN_PERMITS, refused);
    }

    @Test
    void registrationLimit_countsEveryNode_sendLimitIsPerNode() {
        String alice = client1.account("alice");   // one registration
        client2.account("bob");                    // two
        for (int i = 3; i <= 6; i++) {
            assertEquals(201, (i % 2 == 0 ? client1 : client2).register("user" + i, "correct horse").statusCode());
        }
        assertEquals(429, client1.register("user7", "correct horse").statusCode());
        assertEquals(429, client2.register("user7", "correct horse").statusCode());

        // SEND stays per node (RateLimit's class comment): 3 on each
        for (int i = 0; i < 3; i++) {
            send(client1, alice, "x", "bob");
        }
        assertEquals(429, client1.sendMessage(alice, body("x"), "bob").statusCode());
        send(client2, alice, "x", "bob");
    }

    @Test
    void housekeeping_deletesFullBucketsFromTheDatabase() throws Exception {
        client1.register("alice", "correct horse");
        client1.login("alice", "wrong horse");
        assertTrue(bucketRows() > 0);

        node1.housekeeping();
        assertTrue(bucketRows() > 0, "a bucket that is not full stays");
        clock.advance(Duration.ofHours(1));
        node2.housekeeping();

        assertEquals(0, bucketRows());
    }

    @Test
    void listener_killedConnection_reconnectsAndEndsStreamsSoClientsList() throws Exception {
        String alice = client1.account("alice");
        String bob = client2.account("bob");
        BlockingQueue<String> bobOn2 = client2.subscribe(bob, open);
        assertEquals(2, terminateListeners(), "one listening backend per node");

        // Node 2 ends its streams once it listens again: what was sent meanwhile was not pushed.
        awaitEnd(bobOn2);
        BlockingQueue<String> again = client2.subscribe(bob, open);
        String id = send(client1, alice, "after", "bob");

        assertEquals(id, nextMessageEvent(again).id());
        for (int i = 0; i < 100 && listeners() != 2; i++) {
            Thread.sleep(100); // node 1 resumes on its own schedule; terminated backends take a moment to exit
        }
        assertEquals(2, listeners());
    }

    // --- helpers ------------------------------------------------------------------------

    /**
     * Sends {@link #BODY_BYTES} bytes starting with {@code body}. Not a few bytes: with the
     * relay's minimum request data rate (1 KiB/s, {@link TlsConnector}) a 1-byte body got a
     * 408 after 26 ms on this loaded machine, its handler having read it after a few ms of
     * checks against PostgreSQL.
     */
    private static String send(TestClient client, String token, String body, String... to) {
        HttpResponse<String> r = client.sendMessage(token, body(body), to);
        assertEquals(201, r.statusCode(), r.body());
        return client.read(r, SendResponse.class).id();
    }

    private static byte[] body(String start) {
        byte[] b = new byte[BODY_BYTES];
        byte[] s = start.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(s, 0, b, 0, s.length);
        return b;
    }

    private static String next(BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(20, TimeUnit.SECONDS);
        assertNotNull(line, "nothing on the event stream within 20 s");
        return line;
    }

    /** Reads the next event (skipping keep-alive comments). */
    private MessageSummary nextMessageEvent(BlockingQueue<String> lines) throws Exception {
        String id = next(lines);
        while (id.startsWith(":")) {
            id = next(lines);
        }
        assertEquals("event: message", next(lines));
        String data = next(lines);
        assertEquals("", next(lines));
        assertTrue(data.startsWith("data: "), data);
        MessageSummary summary = client1.json.readValue(data.substring("data: ".length()), MessageSummary.class);
        assertEquals("id: " + summary.id(), id);
        return summary;
    }

    private static void awaitEnd(BlockingQueue<String> lines) throws InterruptedException {
        String line;
        do {
            line = next(lines);
            assertTrue(line.startsWith(":") || line.equals(END), "no event expected, got: " + line);
        } while (!line.equals(END));
    }

    /** The channel of this test's schema, as PostgresNodeChannel names it. */
    private String channel() throws Exception {
        byte[] h = MessageDigest.getInstance("SHA-256").digest(schema.getBytes(StandardCharsets.UTF_8));
        return "sealpost_delivered_" + HexFormat.of().formatHex(h, 0, 6);
    }

    private int terminateListeners() throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER, USER, null);
             var ps = c.prepareStatement("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE application_name = ?")) {
            ps.setString(1, "sealpost-relay listen " + channel());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private int listeners() throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER, USER, null);
             var ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, "sealpost-relay listen " + channel());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private int bucketRows() throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER + "?currentSchema=" + schema, USER, null);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM rate_limits")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean reachable() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
