package dev.sealpost.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real S3-compatible object store for tests: s3proxy (org.gaul:s3proxy, its jar with
 * dependencies, which Maven copies to {@code target/s3proxy/s3proxy.jar} and names in the system
 * property {@code sealpost.s3proxy.jar}) in its own process, on a free loopback port, with
 * jclouds' {@code filesystem-nio2} backend in a folder: a bucket is a directory of it, an object
 * a file. Requests must be signed (AWS Signature V2 or V4) with {@link #accessKey()} and
 * {@link #secretKey()}.
 */
public final class S3Proxy implements AutoCloseable {
    /** System property naming s3proxy's jar. */
    public static final String JAR_PROPERTY = "sealpost.s3proxy.jar";
    private static final Pattern LISTENING = Pattern.compile("\\{127\\.0\\.0\\.1:(\\d+)}");
    private static final long START_MILLIS = 60_000;

    private final Process process;
    private final Path data;
    private final URI endpoint;
    private final Path log;

    private S3Proxy(Process process, Path data, URI endpoint, Path log) {
        this.process = process;
        this.data = data;
        this.endpoint = endpoint;
        this.log = log;
    }

    /** @return s3proxy's jar, or null if the build did not provide it */
    public static Path jar() {
        String jar = System.getProperty(JAR_PROPERTY);
        return jar != null && Files.isRegularFile(Path.of(jar)) ? Path.of(jar) : null;
    }

    /**
     * Starts s3proxy with its objects under {@code dir/data} and waits until it listens.
     *
     * @throws IOException if its jar is missing, or it does not start within 60 s (its log is in the message)
     */
    public static S3Proxy start(Path dir) throws IOException {
        Path jar = jar();
        if (jar == null) {
            throw new IOException("no s3proxy jar: set -D" + JAR_PROPERTY + " (the Maven build does)");
        }
        Path data = Files.createDirectories(dir.resolve("data"));
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:0",
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKeyValue(),
                "s3proxy.credential=" + secretKeyValue(),
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
                ""), StandardCharsets.UTF_8);
        Path log = dir.resolve("s3proxy.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_MILLIS);
        try {
            while (System.nanoTime() < deadline) {
                String out = Files.readString(log, StandardCharsets.UTF_8);
                Matcher m = LISTENING.matcher(out);
                if (out.contains("Started") && m.find()) {
                    return new S3Proxy(process, data, URI.create("http://127.0.0.1:" + m.group(1)), log);
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        throw new IOException("s3proxy did not start: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String accessKeyValue() {
        return "sealpost-test";
    }

    private static String secretKeyValue() {
        return "sealpost-test-secret";
    }

    /** @return e.g. {@code http://127.0.0.1:41234} */
    public URI endpoint() {
        return endpoint;
    }

    /** @return the access key id requests must be signed with */
    public String accessKey() {
        return accessKeyValue();
    }

    /** @return the secret key requests must be signed with */
    public String secretKey() {
        return secretKeyValue();
    }

    /**
     * Creates a bucket (a directory of the backend).
     *
     * @return the bucket's directory, where its objects appear as files (keys with {@code /} as folders)
     */
    public Path createBucket(String name) throws IOException {
        return Files.createDirectories(data.resolve(name));
    }

    /**
     * @return the keys of every object in the bucket (files under its directory, {@code /}-separated), sorted;
     *         s3proxy's own bookkeeping of multipart uploads is included, as it is in the bucket's listing
     */
    public List<String> objects(String bucket) throws IOException {
        Path root = data.resolve(bucket);
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    /** @return what s3proxy printed so far */
    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Stops s3proxy (its objects stay in the folder). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
