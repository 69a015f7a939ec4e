package dev.sealpost.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sealpost relay} in a process of its own (the CLI's main class on this test's class path),
 * so that it can be killed with SIGKILL as a crash would. Port 0; the URL and fingerprint are read
 * from what it prints.
 */
final class RelayNode implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("relay listening on (https://\\S+)");
    private static final Pattern FINGERPRINT = Pattern.compile("TLS certificate (SHA256:[0-9a-f]+)");

    private final Process process;
    private final Path log;
    private final String url;
    private final String fingerprint;

    private RelayNode(Process process, Path log, String url, String fingerprint) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.fingerprint = fingerprint;
    }

    /**
     * Starts a relay and waits (at most 60 s) until it listens.
     *
     * @param env  its environment on top of this one's (database user, AWS credentials)
     * @param args {@code relay}'s options after {@code --port 0}
     */
    static RelayNode start(Path log, Map<String, String> env, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.sealpost.cli.Main", "relay", "--port", "0"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Matcher u = LISTENING.matcher(out);
            Matcher f = FINGERPRINT.matcher(out);
            if (u.find() && f.find()) {
                return new RelayNode(process, log, u.group(1), f.group(1));
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IOException("relay did not start: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    String url() {
        return url;
    }

    int port() {
        return java.net.URI.create(url).getPort();
    }

    String fingerprint() {
        return fingerprint;
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** SIGKILL, as a crash or the OOM killer: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
