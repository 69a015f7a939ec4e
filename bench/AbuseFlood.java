// bench/AbuseFlood.java: the load side of bench/abuse.sh (java single-file source launch).
// A flood of logins with random names from FLOOD connections, while real users log in once
// a second and a prober asks /v1/health every 50 ms; prints a Markdown table per phase.
//
//   java bench/AbuseFlood.java URL CERT.pem SECONDS_PER_PHASE FLOOD_CONNECTIONS
//
// Loopback only: the flood comes from 127.0.0.1 (phase "one address") and then from
// 127.0.1.1..N, one address per connection (phase "N addresses"); the real users from
// 127.0.0.2..7 and the prober from 127.0.0.8, so each phase meets the relay's limits as
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
    static final int USERS = 6;
    static final int WINDOW_SECONDS = 10;

    public static void main(String[] args) throws Exception {
        base = URI.create(args[0]);
        tls = trusting(Path.of(args[1]));
        int seconds = Integer.parseInt(args[2]);
        int flood = Integer.parseInt(args[3]);

        List<HttpClient> users = new ArrayList<>();
        HttpClient registrar = client("127.0.0.2");
        for (int k = 0; k < USERS; k++) {
            int status = post(registrar, "/v1/accounts", "real" + k).statusCode();
            if (status != 201) {
                throw new IllegalStateException("registering real" + k + ": " + status);
            }
            users.add(client("127.0.0." + (2 + k)));
        }
        HttpClient prober = client("127.0.0.8");

        System.out.println("| phase | seconds | real login ms (median / max) | real login answers | health p50 / p99 / max ms | flood answers per s |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        run("quiet (no flood)", WINDOW_SECONDS, 0, false, users, prober);
        run("one address, " + flood + " connections", seconds, flood, false, users, prober);
        run(flood + " addresses, one connection each", seconds, flood, true, users, prober);
    }

    static void run(String phase, int seconds, int flood, boolean spread, List<HttpClient> users, HttpClient prober)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, LongAdder> floodAnswers = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < flood; i++) {
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
                    floodAnswers.computeIfAbsent(answer, a -> new LongAdder()).increment();
                }
                c.close();
            }));
        }
        long start = System.nanoTime();
        int windows = Math.max(1, seconds / WINDOW_SECONDS);
        int login = 0;
        for (int w = 0; w < windows; w++) {
            List<Double> logins = new ArrayList<>();
            Map<Integer, Integer> loginAnswers = new TreeMap<>();
            List<Double> health = new ArrayList<>();
            Map<String, Long> floodBefore = snapshot(floodAnswers);
            long windowEnd = start + (w + 1) * WINDOW_SECONDS * 1_000_000_000L;
            long nextLogin = System.nanoTime();
            while (System.nanoTime() < windowEnd) {
                if (System.nanoTime() >= nextLogin) {
                    int k = login++ % USERS;
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = post(users.get(k), "/v1/sessions", "real" + k).statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    logins.add((System.nanoTime() - t0) / 1e6);
                    loginAnswers.merge(status, 1, Integer::sum);
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
            Map<String, Long> floodAfter = snapshot(floodAnswers);
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
        running.set(false);
        for (Thread t : threads) {
            t.join(15_000);
        }
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
        String body = "{\"name\":\"" + name + "\",\"password\":\"password of the real user " + name + "\"}";
        return c.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
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
