// bench/AbuseFlood.java: the load side of bench/abuse.sh (java single-file source launch).
// A flood of logins with random names from FLOOD connections, while real users log in once
// a second and a prober asks /v1/health every 50 ms; prints a Markdown table per phase.
//
//   java bench/AbuseFlood.java URL CERT.pem SECONDS_PER_PHASE FLOOD_CONNECTIONS [ROLE SYNC_DIR]
//
// ROLE "all" (default) runs both sides in this JVM. "measure" and "flood" split them into two
// processes that abuse.sh pins to different cores, so that the attacker's CPU is not taken from
// the relay (a real attacker's is not on the relay's machine): "measure" registers the users,
// creates SYNC_DIR/go and prints the table; "flood" waits for SYNC_DIR/go, floods on the same
// schedule and keeps its answer counts in SYNC_DIR/counts, which "measure" reads.
//
// Loopback only: the flood comes from 127.0.0.1 (phase "one address") and then from
// 127.0.1.1..N, one address per connection (phase "N addresses"); the real users from
// 127.0.2.1..30 (each logs in every 30 s, within its own per-name limit of 10 per 15 min)
// and the prober from 127.0.0.8, so each phase meets the relay's limits as
// strangers on the internet would.
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

public class AbuseFlood {
    static URI base;
    static SSLContext tls;
    static final int USERS = 30;
    /** Real logins so far, over all phases: user k = login % USERS logs in next. */
    static int login;
    static final int WINDOW_SECONDS = 10;

    public static void main(String[] args) throws Exception {
        base = URI.create(args[0]);
        tls = trusting(Path.of(args[1]));
        int seconds = Integer.parseInt(args[2]);
        int flood = Integer.parseInt(args[3]);
        String role = args.length > 4 ? args[4] : "all";
        Path sync = args.length > 5 ? Path.of(args[5]) : null;
        if (role.equals("flood")) {
            floodOnly(seconds, flood, sync);
            return;
        }
        if (role.equals("measure")) {
            remoteCounts = sync.resolve("counts");
        }

        List<HttpClient> users = new ArrayList<>();
        for (int k = 0; k < USERS; k++) {
            HttpClient registrar = client("127.0.2." + (1 + k)); // registrations: 10 per address per hour
            int status = post(registrar, "/v1/accounts", "real" + k).statusCode();
            if (status != 201) {
                throw new IllegalStateException("registering real" + k + ": " + status);
            }
            users.add(registrar);
        }
        HttpClient prober = client("127.0.0.8");

        if (sync != null) {
            Files.writeString(sync.resolve("go"), "go");
        }
        System.out.println("| phase | seconds | real login ms (median / max) | real login answers | health p50 / p99 / max ms | flood answers per s |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        run("quiet (no flood)", WINDOW_SECONDS, 0, false, users, prober);
        run("one address, " + flood + " connections", seconds, flood, false, users, prober);
        run(flood + " addresses, one connection each", seconds, flood, true, users, prober);
    }

    static void run(String phase, int seconds, int flood, boolean spread, List<HttpClient> users, HttpClient prober)
            throws Exception {
        Map<String, LongAdder> floodAnswers = new ConcurrentHashMap<>();
        long floodEnd = System.nanoTime() + seconds * 1_000_000_000L;
        Thread flooding = Thread.ofPlatform().daemon().start(() -> {
            try {
                if (remoteCounts == null && flood > 0) {
                    flood(flood, spread, floodAnswers, floodEnd);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        int windows = Math.max(1, seconds / WINDOW_SECONDS);
        for (int w = 0; w < windows; w++) {
            List<Double> logins = new ArrayList<>();
            Map<String, Integer> loginAnswers = new TreeMap<>();
            List<Double> health = new ArrayList<>();
            Map<String, Long> floodBefore = remoteCounts == null ? snapshot(floodAnswers) : readCounts(remoteCounts);
            long windowEnd = start + (w + 1) * WINDOW_SECONDS * 1_000_000_000L;
            long nextLogin = System.nanoTime();
            while (System.nanoTime() < windowEnd) {
                if (System.nanoTime() >= nextLogin) {
                    int k = login++ % USERS;
                    long t0 = System.nanoTime();
                    String answer;
                    try {
                        HttpResponse<String> r = users.get(k).send(loginRequest("real" + k), HttpResponse.BodyHandlers.ofString());
                        answer = Integer.toString(r.statusCode());
                        if (r.statusCode() == 429) { // which limit: per name, per address or relay-wide
                            answer += r.body().contains("on this relay") ? " relay" : r.body().contains("from this address") ? " address" : " name";
                        }
                    } catch (Exception e) {
                        answer = "none";
                    }
                    logins.add((System.nanoTime() - t0) / 1e6);
                    loginAnswers.merge(answer, 1, Integer::sum);
                    nextLogin += 1_000_000_000L;
                }
                long t0 = System.nanoTime();
                try {
                    prober.send(HttpRequest.newBuilder(base.resolve("/v1/health")).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    health.add((System.nanoTime() - t0) / 1e6);
                } catch (Exception e) {
                    health.add(10_000.0);
                }
                Thread.sleep(50);
            }
            Map<String, Long> floodAfter = remoteCounts == null ? snapshot(floodAnswers) : readCounts(remoteCounts);
            StringBuilder rates = new StringBuilder();
            for (String a : floodAfter.keySet()) {
                long n = floodAfter.get(a) - floodBefore.getOrDefault(a, 0L);
                if (n > 0) {
                    rates.append(rates.isEmpty() ? "" : ", ").append(a).append(": ").append(n / WINDOW_SECONDS);
                }
            }
            System.out.printf("| %s | %d–%d | %.0f / %.0f | %s | %.0f / %.0f / %.0f | %s |%n", phase,
                    w * WINDOW_SECONDS, (w + 1) * WINDOW_SECONDS, pct(logins, 50), pct(logins, 100), loginAnswers,
                    pct(health, 50), pct(health, 99), pct(health, 100), rates.isEmpty() ? "–" : rates);
        }
        flooding.join(30_000);
    }

    /** The flood side's counts file, when it runs in another process; null when it runs here. */
    static Path remoteCounts;

    /** The flood side alone: the measuring side's schedule, counts written to SYNC_DIR/counts. */
    static void floodOnly(int seconds, int flood, Path sync) throws Exception {
        Path go = sync.resolve("go");
        for (int i = 0; i < 60_000 && !Files.exists(go); i++) {
            Thread.sleep(10);
        }
        long start = System.nanoTime();
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        Thread writer = Thread.ofPlatform().daemon().start(() -> {
            Path tmp = sync.resolve("counts.tmp");
            while (true) {
                try {
                    StringBuilder b = new StringBuilder();
                    snapshot(counts).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
                    Files.writeString(tmp, b);
                    Files.move(tmp, sync.resolve("counts"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    Thread.sleep(100);
                } catch (Exception e) {
                    return;
                }
            }
        });
        sleepUntil(start + WINDOW_SECONDS * 1_000_000_000L);
        flood(flood, false, counts, start + (WINDOW_SECONDS + seconds) * 1_000_000_000L);
        flood(flood, true, counts, start + (WINDOW_SECONDS + 2L * seconds) * 1_000_000_000L);
        Thread.sleep(300); // a last write of the counts
        writer.interrupt();
    }

    /** Runs {@code n} flooding threads until {@code endNanos}. */
    static void flood(int n, boolean spread, Map<String, LongAdder> counts, long endNanos) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String from = spread ? "127.0.1." + (1 + i) : "127.0.0.1";
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                HttpClient c = client(from);
                while (running.get()) {
                    String answer;
                    try {
                        answer = Integer.toString(post(c, "/v1/sessions", "x" + Long.toHexString(ThreadLocalRandom.current().nextLong())).statusCode());
                    } catch (Exception e) {
                        answer = "refused";
                    }
                    counts.computeIfAbsent(answer, a -> new LongAdder()).increment();
                }
                c.close();
            }));
        }
        sleepUntil(endNanos);
        running.set(false);
        for (Thread t : threads) {
            t.join(15_000);
        }
    }

    static void sleepUntil(long nanos) throws InterruptedException {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, wait / 1_000_000));
        }
    }

    static Map<String, Long> readCounts(Path file) {
        Map<String, Long> m = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
                }
            }
        } catch (java.io.IOException e) {
            // not written yet: no answers so far
        }
        return m;
    }

    static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> s = new TreeMap<>();
        m.forEach((k, v) -> s.put(k, v.sum()));
        return s;
    }

    static double pct(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static HttpResponse<Void> post(HttpClient c, String path, String name) throws Exception {
        return c.send(request(path, name), HttpResponse.BodyHandlers.discarding());
    }

    static HttpRequest loginRequest(String name) {
        return request("/v1/sessions", name);
    }

    static HttpRequest request(String path, String name) {
        String body = "{\"name\":\"" + name + "\",\"password\":\"password of the real user " + name + "\"}";
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static HttpClient client(String from) {
        try {
            return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                    .localAddress(InetAddress.getByName(from)).connectTimeout(Duration.ofSeconds(10)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            ks.setCertificateEntry("relay", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }
}
