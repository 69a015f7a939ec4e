package dev.sealpost.relay;

import dev.sealpost.relay.store.MetadataStore;
import java.lang.reflect.Proxy;

/**
 * bench/metrics-cost.sh: the CPU time {@link RelayMetrics#request} adds to one request (issue 14,
 * item 6), per call, single-threaded and from two threads at once: 8 route/method/status
 * combinations in turn, 20 million calls per round after a warm-up. Not a test: a measurement.
 */
public final class MetricsCost {
    public static void main(String[] args) throws Exception {
        long calls = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
        MetadataStore none = (MetadataStore) Proxy.newProxyInstance(MetadataStore.class.getClassLoader(),
                new Class<?>[] {MetadataStore.class}, (p, m, a) -> { throw new UnsupportedOperationException(m.getName()); });
        try (RelayMetrics metrics = RelayMetrics.create(none, () -> 0)) {
            String[][] requests = {
                {"/v1/health", "GET", "200"}, {"/v1/messages", "GET", "200"}, {"/v1/messages/{id}", "GET", "200"},
                {"/v1/messages/{id}", "DELETE", "204"}, {"/v1/messages", "POST", "201"}, {"/v1/uploads/{id}", "PATCH", "204"},
                {"(no route)", "GET", "404"}, {"/v1/sessions", "POST", "401"}};
            int[] status = new int[requests.length];
            for (int i = 0; i < requests.length; i++) {
                status[i] = Integer.parseInt(requests[i][2]);
            }
            Runnable loop = () -> {
                for (long i = 0; i < calls; i++) {
                    int k = (int) (i & 7);
                    metrics.request(requests[k][0], requests[k][1], status[k], 1_000_000 + (i & 0xFFFFF), 4096, 4096);
                }
            };
            for (int round = 0; round < 4; round++) {
                long t0 = System.nanoTime();
                loop.run();
                double one = (System.nanoTime() - t0) / (double) calls;
                Thread a = Thread.ofPlatform().start(loop);
                Thread b = Thread.ofPlatform().start(loop);
                t0 = System.nanoTime();
                a.join();
                b.join();
                double two = (System.nanoTime() - t0) / (double) calls;
                System.out.printf("round %d: %.0f ns per call on one thread; %.0f ns per call with two threads at once%n", round, one, two);
            }
        }
    }
}
