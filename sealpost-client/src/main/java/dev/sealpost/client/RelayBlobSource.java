package dev.sealpost.client;

import dev.sealpost.client.relay.BlobDownloads;
import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.crypto.AtomicFiles;
import dev.sealpost.crypto.BlobCipher;
import dev.sealpost.crypto.BlobIntegrityException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The streamed files of one relay message ({@link BlobDownloads}): each blob is decrypted as it
 * downloads into {@code $SEALPOST_HOME/downloads/}, keeping only verified segments there, so an
 * interrupted download continues after the last whole segment (its hash state rebuilt by
 * {@link BlobCipher#resumeAfter}). Once all of it verified against the signed digest, the file
 * joins the batch; the partial files go once the batch is committed.
 */
final class RelayBlobSource implements BlobSource {
    /** How long an abandoned partial download is kept for a later run to resume. */
    private static final Duration KEEP = Duration.ofDays(7);

    private final RelayClient relay;
    private final SealpostHome home;
    private final String messageId;
    private final Clock clock;
    private final Consumer<String> notices;
    private final List<Path> partials = new ArrayList<>();
    private Path dir;

    RelayBlobSource(RelayClient relay, SealpostHome home, String messageId, Clock clock, Consumer<String> notices) {
        this.relay = relay;
        this.home = home;
        this.messageId = messageId;
        this.clock = clock;
        this.notices = notices;
    }

    /** @throws MessageRejectedException for a reference into an offline bundle ({@code #N}) */
    @Override
    public void check(List<BlobRef> refs) throws MessageRejectedException {
        for (BlobRef ref : refs) {
            if (ref.blobId().startsWith("#")) {
                throw new MessageRejectedException("message references blob " + ref.blobId() + ", which only exists in an offline bundle");
            }
        }
    }

    @Override
    public void fetch(BlobRef ref, AttachmentWriter.Batch batch, Progress progress) throws IOException, GeneralSecurityException {
        String name = partialName(ref.blobId());
        Path partial = folder().resolve(name + ".part");
        Path headerFile = folder().resolve(name + ".header");
        partials.add(partial);
        partials.add(headerFile);
        long total = ref.ciphertextSize();
        long segments = (total + BlobCipher.SEGMENT_BYTES - 1) / BlobCipher.SEGMENT_BYTES;
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            byte[] header = Files.isRegularFile(headerFile) ? Files.readAllBytes(headerFile) : new byte[0];
            long k = header.length == BlobCipher.HEADER_BYTES ? Math.min(BlobCipher.wholeSegments(out.size()), segments - 1) : 0;
            out.truncate(BlobCipher.plaintextOffset(k));
            BlobCipher.Position from = null;
            if (k > 0) {
                out.position(0);
                from = BlobCipher.resumeAfter(ref.key(), header, out, k, total);
                notices.accept(String.format("resuming download of %s at byte %,d of %,d", ref.filename(), from.ciphertextOffset(), total));
            }
            out.position(BlobCipher.plaintextOffset(k));
            BlobCipher.Position start = from;
            DownloadChannels.EarlyWriteback sink = new DownloadChannels.EarlyWriteback(out, batch.durable());
            try (Progress.Task task = progress.start("download " + Blobs.shortName(ref.filename()), ref.encodedSize())) {
                relay.blobs().download(messageId, ref.blobId(), start == null ? 0 : start.ciphertextOffset(), total, body -> {
                    ReadableByteChannel in = start == null ? new DownloadChannels.HeaderTee(body, headerFile) : body;
                    BlobCipher.decrypt(ref.key(), in, total, ref.sha256(), sink, task::update, start);
                });
            } catch (BlobIntegrityException e) {
                sink.finish();
                out.truncate(0); // what the relay sent is not what was signed: fetch it afresh next time
                Files.deleteIfExists(headerFile);
                throw e;
            } finally {
                sink.finish();
            }
            if (batch.durable() && !ref.compressed()) {
                out.force(true);
            }
        }
        Blobs.place(batch, ref, partial);
    }

    /** Deletes the partial downloads, now that their files have their names. */
    @Override
    public void committed() throws IOException {
        for (Path p : partials) {
            Files.deleteIfExists(p);
        }
    }

    /** A partial download's name: the same relay, message and blob give the same name in the next run. */
    private String partialName(String blobId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((relay.base() + "\n" + messageId + "\n" + blobId)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the private folder of partial downloads, with those abandoned long ago removed (once per message) */
    private Path folder() throws IOException {
        if (dir == null) {
            Path d = home.downloadsDir();
            AtomicFiles.createPrivateDirectory(d);
            sweep(d);
            dir = d;
        }
        return dir;
    }

    private void sweep(Path d) {
        Instant cutoff = clock.instant().minus(KEEP);
        try (Stream<Path> files = Files.list(d)) {
            for (Path p : files.toList()) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException ignored) {
            // best effort
        }
    }
}
