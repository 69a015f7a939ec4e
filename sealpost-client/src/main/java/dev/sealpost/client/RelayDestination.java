package dev.sealpost.client;

import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.client.relay.TusUploads;
import dev.sealpost.crypto.BlobCipher;
import dev.sealpost.crypto.BlobSecret;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sends through the relay: each streamed file becomes a resumable tus upload
 * ({@link TusUploads}), recorded in the {@link UploadJournal} so that the same send run again
 * after a kill or a broken connection continues from the relay's durable offset; then the
 * sealed message is posted with the uploads it references, and the journal entries go.
 */
public final class RelayDestination implements Destination<Sent> {
    /** Attempts per upload before giving up on a broken connection (then the next run resumes). */
    private static final int UPLOAD_ATTEMPTS = 3;
    /** The longest single wait a rate-limited relay may ask for before the send gives up, in seconds. */
    static final long MAX_RETRY_AFTER_SECONDS = 120;
    /** The most a whole send waits for rate limits, in seconds. */
    static final long MAX_TOTAL_WAIT_SECONDS = 30 * 60;

    private final RelayClient relay;
    private final UploadJournal journal;
    private final Consumer<String> notices;
    private final List<BlobRef> refs = new ArrayList<>();
    private final List<Path> slots = new ArrayList<>();
    private long waited;

    /**
     * @param relay   an authenticated client
     * @param home    where the upload journal lives ({@code uploads/})
     * @param notices where resumed uploads are reported, one line each
     */
    public RelayDestination(RelayClient relay, SealpostHome home, Consumer<String> notices) {
        this.relay = relay;
        this.journal = new UploadJournal(home);
        this.notices = notices;
    }

    /**
     * Uploads one file as a blob, resuming an earlier attempt recorded in the journal.
     *
     * @throws RelayException if the relay refuses or stays unreachable (run the send again to resume)
     */
    @Override
    public BlobRef put(OutgoingFile original, Progress progress) throws IOException {
        Path slot = journal.slot(relay.base(), original);
        UploadJournal.Upload e = journal.find(slot).orElse(null);
        Path spool = journal.spool(slot);
        if (e != null && e.compressed() && !Files.isRegularFile(spool)) {
            journal.remove(slot); // the compressed copy is gone: start over
            e = null;
        }
        String encoding;
        if (e == null) {
            journal.ensureFolder();
            encoding = Blobs.encode(original, spool, progress);
        } else {
            encoding = e.compressed() ? Deflate.DEFLATE : Deflate.IDENTITY;
        }
        OutgoingFile f = Blobs.payload(original, spool, encoding);
        TusUploads uploads = relay.uploads();
        long total = BlobCipher.ciphertextSize(f.size());
        long offset = 0;
        if (e != null) {
            offset = uploads.offset(e.uploadId());
            if (offset < 0 || offset > total) {
                journal.remove(slot); // the relay forgot it (expired or abandoned): start over
                e = null;
                offset = 0;
                if (Deflate.DEFLATE.equals(encoding)) {
                    journal.ensureFolder();
                    encoding = Blobs.encode(original, spool, progress);
                    f = Blobs.payload(original, spool, encoding);
                }
            }
        }
        if (e != null && offset > 0) {
            notices.accept(String.format("resuming upload of %s at byte %,d of %,d", f.name(), offset, total));
        }
        if (e == null) {
            long length = total;
            e = UploadJournal.Upload.of(patiently(() -> uploads.create(length)), Blobs.newSecret(),
                    Deflate.DEFLATE.equals(encoding) ? encoding : null);
            journal.save(slot, e);
        }
        byte[] digest;
        try (Progress.Task task = progress.start("upload " + Blobs.shortName(f.name()), f.size())) {
            if (offset == total && e.sha256() != null) {
                digest = HexFormat.of().parseHex(e.sha256());
                task.update(f.size());
            } else if (offset == total) {
                digest = Blobs.encrypt(f, e.secret(), total, Blobs.DISCARD, task);
            } else {
                digest = append(uploads, e.uploadId(), offset, total, f, e.secret(), task);
            }
        }
        journal.save(slot, e.completed(digest));
        slots.add(slot);
        BlobRef ref = Blobs.ref(original, f, e.uploadId(), digest, e.secret());
        refs.add(ref);
        return ref;
    }

    private static byte[] append(TusUploads uploads, String id, long offset, long total, OutgoingFile f, BlobSecret secret,
                                 Progress.Task task) throws IOException {
        for (int attempt = 1; ; attempt++) {
            byte[][] digest = new byte[1][];
            long start = offset;
            try {
                long end = uploads.append(id, start, total - start, sink -> digest[0] = Blobs.encrypt(f, secret, start, sink, task));
                if (end != total || digest[0] == null) {
                    throw new RelayException.Unreachable("relay stored " + end + " of " + total + " bytes of " + f.name());
                }
                return digest[0];
            } catch (RelayException.Unreachable | RelayException.Refused ex) {
                // no answer: the connection broke; 409: the relay is still finishing the request a
                // killed run left behind, or holds another offset. Both: ask for the offset and go on.
                if (ex instanceof RelayException.Refused r && r.status() != 409 || attempt >= UPLOAD_ATTEMPTS) {
                    throw ex;
                }
                sleep(500L * attempt);
                offset = uploads.offset(id);
                if (offset < 0) {
                    throw ex;
                }
            }
        }
    }

    /** A request to the relay. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code call}, and when the relay answers that it is rate-limited with a
     * {@code Retry-After} (RFC 9110 §10.2.3), waits that long and asks again, saying so once per
     * wait: a send of hundreds of files goes on at the pace the relay allows instead of failing
     * half-way. Gives up (throws the refusal) without a {@code Retry-After}, on a single wait
     * above {@value #MAX_RETRY_AFTER_SECONDS} s, or once the send has waited
     * {@value #MAX_TOTAL_WAIT_SECONDS} s in all.
     */
    private <T> T patiently(Call<T> call) throws IOException {
        while (true) {
            try {
                return call.run();
            } catch (RelayException.RateLimited e) {
                long s = e.retryAfterSeconds().orElse(-1);
                if (s < 0 || s > MAX_RETRY_AFTER_SECONDS || waited + s > MAX_TOTAL_WAIT_SECONDS) {
                    throw e;
                }
                notices.accept("the relay is rate-limiting (" + e.getMessage() + "); waiting " + Math.max(s, 1) + " s");
                sleep(Math.max(s, 1) * 1000);
                waited += Math.max(s, 1);
            }
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /**
     * Posts the sealed message with the uploads it references, then forgets their journal entries.
     *
     * @throws RelayException if the relay refuses it (404 unknown recipient, 413 too large) or is unreachable
     */
    @Override
    public Sent deliver(Letter letter, byte[] sealed, List<Recipient> recipients) throws IOException {
        SendResponse response = patiently(() -> relay.messages().send(sealed, recipients.stream().map(Recipient::name).toList(),
                refs.stream().map(BlobRef::blobId).toList()));
        for (Path slot : slots) {
            journal.remove(slot);
        }
        slots.clear();
        return new Sent(response.id(), response.recipients(), sealed.length, letter.blobs().size(), letter.blobBytes(), letter);
    }

    /** Keeps the journal of an undelivered message: the same send run again resumes its uploads. */
    @Override
    public void close() {}
}
