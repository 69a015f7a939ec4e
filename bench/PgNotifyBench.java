import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.postgresql.PGConnection;

/**
 * What a NOTIFY per message costs (bench/pg-notify.sh): message-like transactions per second on
 * PostgreSQL, THREADS writers for SECONDS each, in four ways, with one connection listening
 * and draining all the while (as a relay node does):
 *   none       INSERT, commit (synchronous_commit on): the baseline
 *   inside     INSERT and pg_notify in one transaction: notified exactly when committed
 *   after      INSERT, commit; then pg_notify in a transaction of its own, synchronous
 *   after-async as after, the notice's transaction with synchronous_commit off (what the relay does)
 * Prints a Markdown table.
 */
public class PgNotifyBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int seconds = Integer.parseInt(args[1]);
        String user = "postgres";
        String schema = "bench_notify_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(url, user, null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("CREATE TABLE " + schema + ".m (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)");
        }
        System.out.println("| writers | none | inside | after | after-async |");
        System.out.println("|---|---|---|---|---|");
        try {
            for (int threads : new int[] {1, 8, 32}) {
                StringBuilder row = new StringBuilder("| " + threads + " |");
                for (String mode : new String[] {"none", "inside", "after", "after-async"}) {
                    row.append(' ').append(run(url, user, schema, mode, threads, seconds)).append(" /s |");
                }
                System.out.println(row);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url, user, null); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    static long run(String url, String user, String schema, String mode, int threads, int seconds) throws Exception {
        String channel = "bench_" + schema;
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder done = new LongAdder();
        LongAdder heard = new LongAdder();
        Connection listener = DriverManager.getConnection(url, user, null);
        listener.createStatement().execute("LISTEN " + channel);
        Thread drain = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    var n = listener.unwrap(PGConnection.class).getNotifications(200);
                    if (n != null) {
                        heard.add(n.length);
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        CountDownLatch finished = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().start(() -> {
                try (Connection c = DriverManager.getConnection(url, user, null);
                     PreparedStatement insert = c.prepareStatement("INSERT INTO " + schema + ".m (body) VALUES (?)");
                     PreparedStatement notifySync = c.prepareStatement("SELECT pg_notify(?, ?)");
                     PreparedStatement notifyAsync = c.prepareStatement(
                             "SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, ?)")) {
                    String payload = "{\"node\":\"0123456789abcdef\",\"to\":[\"bob\"],\"message\":{\"id\":\"AAAAAAAAAAAAAAAAAAAAAA\"}}";
                    while (!stop.get()) {
                        c.setAutoCommit(false);
                        insert.setString(1, "x".repeat(100));
                        insert.executeUpdate();
                        if (mode.equals("inside")) {
                            notifySync.setString(1, channel);
                            notifySync.setString(2, payload);
                            notifySync.executeQuery().close();
                        }
                        c.commit();
                        c.setAutoCommit(true);
                        if (mode.startsWith("after")) {
                            PreparedStatement n = mode.equals("after") ? notifySync : notifyAsync;
                            n.setString(1, channel);
                            n.setString(2, payload);
                            n.executeQuery().close();
                        }
                        done.increment();
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                } finally {
                    finished.countDown();
                }
            });
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        finished.await();
        drain.join();
        listener.close();
        return done.sum() / seconds;
    }
}
