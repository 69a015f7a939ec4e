package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.testkit.S3Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relay processes on one PostgreSQL (a schema of this test's) and one S3-compatible store
 * (s3proxy), behind a TCP-passthrough balancer, as deploy/ runs them: push crosses nodes; an
 * upload cut by SIGKILL of its node resumes on the other and arrives byte-identical; no partial
 * message is ever listed; nothing is left in the bucket once the message is received. Skipped with
 * a message where no PostgreSQL runs.
 */
class ClusterTest {
    @TempDir
    Path root;
    PostgresSchema db;
    S3Proxy s3;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void services() throws Exception {
        db = PostgresSchema.createOrSkip("cluster test");
        s3 = S3Proxy.start(Files.createDirectories(root.resolve("s3")));
        s3.createBucket("sealpost");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private RelayNode node(String name) throws Exception {
        Map<String, String> env = Map.of("SEALPOST_HOME", root.resolve("op").toString(),
                "SEALPOST_DB_USER", "postgres",
                "AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey());
        RelayNode n = RelayNode.start(root.resolve(name + ".log"), env, "--data", root.resolve(name).toString(),
                "--tls-dir", root.resolve("tls").toString(),
                "--database", db.url(),
                "--s3-endpoint", s3.endpoint().toString(), "--s3-bucket", "sealpost");
        open.add(n);
        return n;
    }

    /**
     * Runs a CLI command on a thread of its own: the common pool has one thread on 2 cores, and a
     * command blocked there (a watch that got nothing) would hold up every later one.
     */
    private static void ownThread(Runnable task) {
        Thread.ofPlatform().daemon().name("cli-command").start(task);
    }

    private long query(String sql) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private String text(String sql) throws Exception {
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private List<String> storedObjects() throws Exception {
        return s3.objects("sealpost").stream().filter(k -> k.startsWith("messages/") || k.startsWith("uploads/")).toList();
    }

    private static byte[] sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] b = new byte[1 << 20];
            for (int n; (n = in.read(b)) > 0; ) {
                d.update(b, 0, n);
            }
        }
        return d.digest();
    }

    /** Two nodes behind a balancer (sending to node 1), alice and bob registered through it. */
    private record Cluster(RelayNode one, RelayNode two, TcpBalancer balancer, Cli.Person alice, Cli.Person bob) {}

    private Cluster cluster() throws Exception {
        RelayNode one = node("node1");
        RelayNode two = node("node2");
        assertEquals(one.fingerprint(), two.fingerprint(), "the nodes share one TLS identity");
        TcpBalancer balancer = new TcpBalancer(one.port(), 24L << 20); // 24 MiB/s: a large upload takes seconds
        open.add(balancer);
        Cli.Person alice = Cli.Person.at(root, "alice");
        alice.must("init", "--name", "alice", "--suite", "p256");
        alice.must("register", "--relay", balancer.url(), "--relay-fingerprint", one.fingerprint());
        Cli.Person bob = Cli.Person.at(root, "bob");
        bob.must("init", "--name", "bob", "--suite", "p256");
        bob.must("register", "--relay", balancer.url(), "--relay-fingerprint", one.fingerprint());
        return new Cluster(one, two, balancer, alice, bob);
    }

    @Test
    void aliceSendsOnNode1_bobWatchingOnNode2_getsThePush() throws Exception {
        Cluster c = cluster();
        c.bob().must("login", "--relay", c.two().url(), "--relay-fingerprint", c.two().fingerprint());
        Path watched = root.resolve("bob-watch");
        CompletableFuture<Cli.Result> watching = CompletableFuture.supplyAsync(
                () -> c.bob().run("watch", "--count", "1", "--out", watched.toString()), ClusterTest::ownThread);
        Thread.sleep(2000); // the stream is open and its first listing (empty) done: only a push brings the message now
        assertFalse(watching.isDone(), "watch waits for mail");
        c.alice().must("send", "--to", "bob", "-m", "sent on node 1");
        Cli.Result pushed = watching.get(60, TimeUnit.SECONDS);
        assertEquals(0, pushed.code(), pushed.toString());
        assertTrue(pushed.out().contains("sent on node 1"), pushed.toString());
    }

    @Test
    void uploadCutBySigkillOfItsNode_resumesOnTheOther_byteIdentical_andNothingIsLeft() throws Exception {
        Cluster c = cluster();
        RelayNode one = c.one();
        RelayNode two = c.two();
        TcpBalancer balancer = c.balancer();
        Cli.Person alice = c.alice();
        Cli.Person bob = c.bob();
        // a large file through the balancer to node 1, which is killed mid-upload
        Path big = root.resolve("scan.bin");
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(14);
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 96; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        CompletableFuture<Cli.Result> sending = CompletableFuture.supplyAsync(
                () -> alice.run("send", "--to", "bob", "-m", "the scan", "--file", big.toString()), ClusterTest::ownThread);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long durable = 0;
        try (Connection poll = db.connect();
             var offsets = poll.prepareStatement("SELECT COALESCE(max(durable_offset), 0) FROM uploads")) {
            while (durable == 0 && System.nanoTime() < deadline && !sending.isDone()) {
                try (ResultSet rs = offsets.executeQuery()) {
                    rs.next();
                    durable = rs.getLong(1);
                }
                Thread.sleep(10);
            }
        }
        assertTrue(durable > 0, "a part was stored before the kill: " + (sending.isDone() ? sending.join() : "still sending")
                + "\n" + one.log());
        String uploadId = text("SELECT id FROM uploads");
        one.kill();
        balancer.target(two.port());
        assertTrue(query("SELECT max(durable_offset) FROM uploads") < query("SELECT max(total_length) FROM uploads"),
                "killed mid-upload");
        assertEquals(0, query("SELECT count(*) FROM messages"), "no partial message exists");
        Cli.Result inbox = bob.must("inbox");
        assertFalse(inbox.out().contains("alice"), "no partial message is listed: " + inbox);

        Cli.Result first = sending.get(300, TimeUnit.SECONDS); // its retries may already reach node 2
        Cli.Result sent = first.code() == 0 ? first : alice.must("send", "--to", "bob", "-m", "the scan", "--file", big.toString());
        assertEquals(1, query("SELECT count(*) FROM uploads"), "resumed, not started over: " + first + sent);
        assertEquals(uploadId, text("SELECT id FROM uploads WHERE message_id IS NOT NULL"));

        Path in = root.resolve("bob-in");
        Cli.Result got = bob.must("receive", "--all", "--out", in.toString());
        assertTrue(got.out().contains("the scan"), got.toString());
        assertArrayEquals(sha256(big), sha256(in.resolve("scan.bin")), "byte-identical after the kill");

        // nothing is left: the rows and the objects of the received message are gone
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!storedObjects().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), storedObjects());
        assertEquals(0, query("SELECT count(*) FROM uploads") + query("SELECT count(*) FROM messages"));
        // node 1, restarted, drops the part it was receiving when it was killed
        RelayNode again = node("node1");
        assertNotNull(again.url());
        try (var spool = Files.list(root.resolve("node1").resolve("spool"))) {
            assertEquals(0, spool.count(), "node 1's spool is empty after its restart");
        }
    }
}
