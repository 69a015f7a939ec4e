package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload store's rule on a real S3-compatible store (s3proxy): bytes up to a committed
 * checkpoint survive, a resume at a recorded offset continues exactly there whatever was stored
 * after it (parts uploaded again, a longer tail), and deletion leaves the bucket empty.
 */
class S3UploadStoreTest {
    static final long PART = 5L << 20;

    @TempDir
    Path spool;
    String bucketName;
    S3Bucket bucket;
    S3UploadStore uploads;

    @BeforeEach
    void open() throws IOException {
        bucketName = S3TestBucket.newBucket();
        bucket = S3TestBucket.connect(bucketName);
        uploads = (S3UploadStore) Stores.uploads(bucket, spool, PART);
    }

    @AfterEach
    void close() {
        bucket.close();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private UploadRecord begin(String id, long length) throws IOException {
        Instant now = Instant.now();
        return UploadRecord.created(id, "alice", length, now, now.plusSeconds(3600)).withStorageRef(uploads.begin(id, length));
    }

    private static UploadRecord at(UploadRecord u, long offset) {
        return new UploadRecord(u.id(), u.owner(), u.length(), offset, u.createdAt(), u.expiresAt(), null, null, u.storageRef());
    }

    /**
     * Writes {@code data[from, to)} as Uploads does: checkpoints where the writer asks, the last one at
     * {@code to}, each committed.
     *
     * @return the offsets of the committed checkpoints
     */
    private List<Long> write(UploadRecord u, byte[] data, long from, long to) throws IOException {
        List<Long> checkpoints = new java.util.ArrayList<>();
        try (UploadStore.Writer w = uploads.resume(at(u, from))) {
            long position = from;
            while (position < to) {
                int n = (int) Math.min(Math.min(1 << 20, to - position), Math.max(1, w.nextCheckpoint() - position));
                w.write(Arrays.copyOfRange(data, (int) position, (int) position + n), n);
                position += n;
                if (position >= w.nextCheckpoint() && position < to) {
                    w.checkpoint(false).commit();
                    checkpoints.add(position);
                }
            }
            w.checkpoint(true).commit();
            checkpoints.add(position);
        }
        return checkpoints;
    }

    private byte[] read(UploadRecord u, long first, long length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (UploadStore.StoredBytes b = uploads.read(u).orElseThrow()) {
            assertTrue(b.copyTo(first, length, out));
        }
        return out.toByteArray();
    }

    @Test
    void piecesAcrossPartBoundaries_withTails_completeByteIdentical_andRangesRead() throws IOException {
        byte[] data = random((int) (2 * PART + 123_457), 1);
        UploadRecord u = begin("up1", data.length);
        assertNotNull(u.storageRef(), "a multipart upload began");
        assertEquals(List.of(3L << 20), write(u, data, 0, 3L << 20), "ends as a tail");
        assertEquals(List.of(PART, 8L << 20), write(u, data, 3L << 20, 8L << 20), "the tail read back, part 1 uploaded");
        assertEquals(List.of(2 * PART, (long) data.length), write(u, data, 8L << 20, data.length));
        assertEquals(List.of("uploads/up1"), S3TestBucket.proxy().objects(bucketName).stream()
                .filter(k -> k.startsWith("uploads/")).toList(), "one object; the tail is gone");
        assertArrayEquals(data, read(u, 0, data.length));
        assertArrayEquals(Arrays.copyOfRange(data, 4_000_000, 10_000_000), read(u, 4_000_000, 6_000_000));
        try (var left = Files.list(spool)) {
            assertEquals(0, left.count(), "no spool file is left");
        }
    }

    @Test
    void resumeBelowWhatWasStored_continuesAtTheRecordedOffset() throws IOException {
        byte[] data = random((int) (PART * 2 + 10), 2);
        UploadRecord u = begin("up2", data.length);
        write(u, data, 0, 7L << 20); // part 1 and a 2 MiB tail stored; suppose only 6 MiB were recorded
        write(u, data, 6L << 20, (6L << 20) + 1);
        // and suppose a crash lost the record of everything: part 1 goes up again from 0
        write(u, data, 0, data.length);
        assertArrayEquals(data, read(u, 0, data.length));
    }

    @Test
    void completedButNotRecorded_resumeSaysItIsComplete() throws IOException {
        byte[] data = random(1000, 3);
        UploadRecord u = begin("up3", data.length);
        write(u, data, 0, data.length);
        UploadStore.StoredOffsetMismatch e = assertThrows(UploadStore.StoredOffsetMismatch.class, () -> uploads.resume(at(u, 10)));
        assertEquals(data.length, e.stored());
    }

    @Test
    void lostTail_resumeSaysWhereTheStoredPartsEnd() throws IOException {
        byte[] data = random((int) (PART * 2), 4);
        UploadRecord u = begin("up4", data.length);
        write(u, data, 0, PART + 100); // part 1 and a 100-byte tail
        S3TestBucket.connect(bucketName).client().deleteObject(d -> d.bucket(bucketName).key("uploads/up4.tail"));
        UploadStore.StoredOffsetMismatch e = assertThrows(UploadStore.StoredOffsetMismatch.class, () -> uploads.resume(at(u, PART + 100)));
        assertEquals(PART, e.stored());
    }

    @Test
    void emptyUpload_isAnEmptyObjectAtOnce() throws IOException {
        UploadRecord u = begin("up5", 0);
        assertNull(u.storageRef());
        assertArrayEquals(new byte[0], read(u, 0, 0));
    }

    @Test
    void delete_ofIncompleteAndCompleteUploads_leavesTheBucketEmpty() throws IOException {
        byte[] data = random((int) PART + 5, 5);
        UploadRecord incomplete = begin("up6", data.length);
        write(incomplete, data, 0, PART + 1); // a part and a tail
        UploadRecord complete = begin("up7", 10);
        write(complete, data, 0, 10);
        UploadRecord unknownRef = begin("up8", 100);
        assertEquals(List.of("up6", "up7", "up8"), uploads.orphans(Instant.now().plusSeconds(60)).stream().sorted().toList());
        assertEquals(List.of(), uploads.orphans(Instant.now().minusSeconds(3600)), "a cutoff spares younger uploads");
        uploads.delete("up6", incomplete.storageRef());
        uploads.delete("up7", null);
        uploads.delete("up8", null); // the multipart upload is found by listing
        assertEquals(List.of(), uploads.orphans(Instant.now().plusSeconds(60)));
        assertTrue(unknownRef.storageRef() != null);
        assertEquals(List.of(), S3TestBucket.proxy().objects(bucketName).stream().filter(k -> k.startsWith("uploads/")).toList());
    }
}
