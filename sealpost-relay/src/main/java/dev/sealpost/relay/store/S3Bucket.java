package dev.sealpost.relay.store;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One bucket of an S3-compatible object store (AWS S3, MinIO, Ceph, s3proxy, ...), reached with the
 * AWS SDK for Java 2 over path-style addresses ({@code ENDPOINT/BUCKET/KEY}), which every such store
 * serves. Credentials come from the SDK's default chain: {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY}, then {@code ~/.aws/credentials} ({@code AWS_PROFILE}), then the
 * instance's role; never from the command line. The relay's keys are {@code messages/ID} (sealed
 * messages) and {@code uploads/ID} (the files of resumable uploads).
 */
public final class S3Bucket implements AutoCloseable {
    /** Connections to the object store one relay node keeps at most. */
    private static final int MAX_CONNECTIONS = 64;

    private final S3Client client;
    private final String bucket;

    private S3Bucket(S3Client client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    /**
     * Connects and checks that the bucket exists and the credentials may use it.
     *
     * @param endpoint e.g. {@code http://127.0.0.1:9000}; null for AWS S3 itself (the region's endpoint)
     * @param bucket   an existing bucket's name
     * @param region   the region to sign requests for, e.g. {@code us-east-1} (what most S3-compatible
     *                 stores accept)
     * @throws IOException if the store cannot be reached, refuses the credentials, or has no such bucket
     */
    public static S3Bucket connect(URI endpoint, String bucket, String region) throws IOException {
        return connect(endpoint, bucket, region, DefaultCredentialsProvider.builder().build());
    }

    /** As {@link #connect(URI, String, String)}, with the given credentials (tests). */
    public static S3Bucket connect(URI endpoint, String bucket, String region, AwsCredentialsProvider credentials)
            throws IOException {
        var builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(MAX_CONNECTIONS)
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        S3Client client;
        try {
            client = builder.build();
        } catch (SdkException e) {
            throw new IOException("cannot set up the S3 client: " + e.getMessage(), e);
        }
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            client.close();
            throw new IOException("no bucket " + bucket + " at " + (endpoint == null ? "S3" : endpoint) + ": create it first");
        } catch (S3Exception e) {
            client.close();
            throw new IOException("bucket " + bucket + " at " + (endpoint == null ? "S3" : endpoint) + ": "
                    + (e.statusCode() == 404 ? "no such bucket: create it first"
                    : e.statusCode() == 403 ? "access denied (check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
                    : "HTTP " + e.statusCode()), e);
        } catch (SdkException e) {
            client.close();
            throw new IOException("cannot reach the object store at " + (endpoint == null ? "S3" : endpoint)
                    + ": " + e.getMessage(), e);
        }
        return new S3Bucket(client, bucket);
    }

    S3Client client() {
        return client;
    }

    String name() {
        return bucket;
    }

    @Override
    public void close() {
        client.close();
    }

    /** @return a {@link StoreWriteException} (507) for a failed write, naming the operation, never a credential */
    static StoreWriteException writeFailure(String what, SdkException e) {
        return new StoreWriteException(readFailure(what, e));
    }

    /** @return an {@link IOException} for a failed request, naming the operation, never a credential */
    static IOException readFailure(String what, SdkException e) {
        return new IOException("object store: " + what + ": " + e.getMessage(), e);
    }
}
