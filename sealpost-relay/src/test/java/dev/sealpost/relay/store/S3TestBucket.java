package dev.sealpost.relay.store;

import dev.sealpost.testkit.S3Proxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** One s3proxy per JVM (started on first use, stopped at exit) and a fresh bucket per test. */
public final class S3TestBucket {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Proxy proxy;

    private S3TestBucket() {}

    /** @return the shared s3proxy, started on first use */
    public static synchronized S3Proxy proxy() throws IOException {
        if (proxy == null) {
            Path dir = Files.createTempDirectory("sealpost-s3proxy");
            proxy = S3Proxy.start(dir);
            S3Proxy started = proxy;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            // The relay takes credentials from the SDK's default chain; its first link is these properties.
            System.setProperty("aws.accessKeyId", proxy.accessKey());
            System.setProperty("aws.secretAccessKey", proxy.secretKey());
        }
        return proxy;
    }

    /** @return the name of a new, empty bucket */
    public static String newBucket() throws IOException {
        String name = "test-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        proxy().createBucket(name);
        return name;
    }

    /** @return a connection to {@code bucket} with the proxy's credentials */
    public static S3Bucket connect(String bucket) throws IOException {
        S3Proxy p = proxy();
        return S3Bucket.connect(p.endpoint(), bucket, "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create(p.accessKey(), p.secretKey())));
    }
}
