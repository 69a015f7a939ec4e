package dev.sealpost.client;

import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.crypto.Smime;
import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A person's mailbox on their relay: send sealed letters, list, receive (fetch, decrypt,
 * verify, save, acknowledge) and follow new mail.
 */
public final class Mailbox {
    private final SealpostHome home;
    private final Identity me;
    private final RelayClient relay;
    private final Contacts contacts;
    private final Clock clock;
    private final Consumer<String> notices;

    /**
     * @param home    the person's state folder
     * @param me      their unlocked identity
     * @param relay   an authenticated client
     * @param clock   time source for Date headers
     * @param notices where to report trust events (a contact pinned on first use) and resumed transfers
     * @throws IOException if contacts.json cannot be read
     */
    public Mailbox(SealpostHome home, Identity me, RelayClient relay, Clock clock, Consumer<String> notices) throws IOException {
        this.home = home;
        this.me = me;
        this.relay = relay;
        this.contacts = Contacts.load(home);
        this.clock = clock;
        this.notices = notices;
    }

    /**
     * What a send did.
     *
     * @param response    the relay's answer
     * @param letter      the letter as signed
     * @param sealedBytes size of the sealed message in bytes
     */
    public record Sent(SendResponse response, Letter letter, long sealedBytes) {}

    /**
     * What a receive did.
     *
     * @param summary the relay's metadata
     * @param opened  the verified letter
     * @param saved   files written under the output folder
     * @param acknowledged false if the relay could not be told (the message is received and
     *                     saved; the next receive clears it from the relay)
     */
    public record Received(MessageSummary summary, Opened opened, List<Path> saved, boolean acknowledged) {}

    /**
     * Seals a letter to every recipient (and the sender's own copy) and uploads it.
     *
     * @param to          recipient account names
     * @param subject     optional subject
     * @param text        the text
     * @param attachments files, already prepared (compressed)
     * @return the result
     * @throws IOException if a recipient is unknown, the relay refuses, or it cannot be reached
     * @throws GeneralSecurityException if a recipient's certificates changed since they were pinned
     */
    public Sent send(List<String> to, String subject, String text, List<Attachment> attachments)
            throws IOException, GeneralSecurityException {
        return send(to, subject, text, attachments, List.of(), Progress.NONE);
    }

    /**
     * Seals a letter with files to every recipient (and the sender's own copy) and uploads it.
     * Files up to the inline bound travel inside the letter; larger ones are encrypted as
     * blobs (AES-GCM-HKDF streaming), uploaded resumably first, and referenced from the signed
     * letter. An interrupted send, run again with the same files, continues each upload from
     * the relay's durable offset.
     *
     * @param to          recipient account names
     * @param subject     optional subject
     * @param text        the text
     * @param attachments prepared attachments (images), carried inside the letter
     * @param files       files sent as they are
     * @param progress    where uploads report
     * @return the result
     * @throws IOException if a recipient is unknown, a file cannot be read, the relay refuses,
     *                     or it cannot be reached (then run the same send again to resume)
     * @throws GeneralSecurityException if a recipient's certificates changed since they were pinned
     */
    public Sent send(List<String> to, String subject, String text, List<Attachment> attachments,
                     List<OutgoingFile> files, Progress progress) throws IOException, GeneralSecurityException {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        to.forEach(n -> names.add(AccountName.require(n.strip().toLowerCase(java.util.Locale.ROOT))));
        List<X509Certificate> certs = new ArrayList<>();
        for (String name : names) {
            certs.add(recipient(name).encryptionCertificate());
        }
        List<Attachment> inline = new ArrayList<>(attachments);
        List<BlobRef> refs = new ArrayList<>();
        List<Path> slots = new ArrayList<>();
        UploadJournal journal = new UploadJournal(home);
        OutgoingFile.Split split = OutgoingFile.split(files, inlineLimit);
        for (OutgoingFile f : split.inline()) {
            inline.add(new Attachment(f.name(), f.mediaType(), java.nio.file.Files.readAllBytes(f.path())));
        }
        for (OutgoingFile f : split.blobs()) {
            Path slot = journal.slot(relay.base(), f);
            refs.add(upload(journal, slot, f, progress));
            slots.add(slot);
        }
        Letter letter = Letter.compose(me.name(), List.copyOf(names), subject, text, inline, refs, clock.instant());
        byte[] sealed = Smime.seal(letter.toMime(), me, certs);
        SendResponse response = relay.send(sealed, List.copyOf(names), refs.stream().map(BlobRef::blobId).toList());
        for (Path slot : slots) {
            journal.remove(slot);
        }
        return new Sent(response, letter, sealed.length);
    }

    /** Attempts per upload before giving up on a broken connection (then the next run resumes). */
    private static final int UPLOAD_ATTEMPTS = 3;

    /** Uploads one file as a blob, resuming an earlier attempt recorded in the journal. */
    private BlobRef upload(UploadJournal journal, Path slot, OutgoingFile original, Progress progress) throws IOException {
        UploadJournal.Entry e = journal.find(slot).orElse(null);
        Path spool = journal.spool(slot);
        if (e != null && e.compressed() && !java.nio.file.Files.isRegularFile(spool)) {
            journal.remove(slot); // the compressed copy is gone: start over
            e = null;
        }
        OutgoingFile f = original;
        String encoding = e == null ? null : e.encoding();
        if (e == null) {
            java.nio.file.Files.deleteIfExists(spool);
            if (Deflate.worthIt(original)) {
                journal.ensureFolder();
                try (Progress.Task task = progress.start("compress " + Blobs.shortName(original.name()), original.size())) {
                    Deflate.compress(original.path(), spool, task);
                }
                encoding = Deflate.DEFLATE;
            }
        }
        if (Deflate.DEFLATE.equals(encoding)) {
            f = OutgoingFile.of(spool, original.name());
        }
        long total = dev.sealpost.crypto.BlobCipher.ciphertextSize(f.size());
        long offset = 0;
        if (e != null) {
            offset = relay.uploadOffset(e.uploadId());
            if (offset < 0 || offset > total) {
                journal.remove(slot); // the relay forgot it (expired or abandoned): start over
                e = null;
                offset = 0;
            }
        }
        if (e != null && offset > 0) {
            notices.accept(String.format("resuming upload of %s at byte %,d of %,d", f.name(), offset, total));
        }
        if (e == null) {
            String id = relay.createUpload(total);
            e = UploadJournal.Entry.of(id, Blobs.newSecret(), encoding);
            journal.save(slot, e);
        }
        dev.sealpost.crypto.BlobSecret secret = e.secret();
        byte[] digest;
        try (Progress.Task task = progress.start("upload " + Blobs.shortName(f.name()), f.size())) {
            if (offset == total && e.sha256() != null) {
                digest = java.util.HexFormat.of().parseHex(e.sha256());
                task.update(f.size());
            } else if (offset == total) {
                digest = Blobs.encrypt(f, secret, total, Blobs.DISCARD, task);
            } else {
                digest = uploadFrom(e.uploadId(), offset, total, f, secret, task);
            }
        }
        journal.save(slot, e.completed(digest));
        return new BlobRef(original.name(), original.mediaType(), original.size(), e.uploadId(), digest, secret.ikm(),
                e.compressed() ? Deflate.DEFLATE : Deflate.IDENTITY, f.size());
    }

    private byte[] uploadFrom(String id, long offset, long total, OutgoingFile f, dev.sealpost.crypto.BlobSecret secret,
                              Progress.Task task) throws IOException {
        for (int attempt = 1; ; attempt++) {
            byte[][] digest = new byte[1][];
            long start = offset;
            try {
                long end = relay.upload(id, start, total - start, sink -> digest[0] = Blobs.encrypt(f, secret, start, sink, task));
                if (end != total || digest[0] == null) {
                    throw new RelayException(0, "relay stored " + end + " of " + total + " bytes of " + f.name(), -1);
                }
                return digest[0];
            } catch (RelayException ex) {
                // 0: the connection broke; 409: the relay is still finishing the request a killed
                // run left behind, or holds another offset. Both: ask for the offset and go on.
                if (ex.status() != 0 && ex.status() != 409 || attempt >= UPLOAD_ATTEMPTS) {
                    throw ex;
                }
                sleep(500L * attempt);
                offset = relay.uploadOffset(id);
                if (offset < 0) {
                    throw ex;
                }
            }
        }
    }

    private static void sleep(long millis) throws RelayException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayException(0, "interrupted", -1);
        }
    }

    /** Default largest file carried inside the letter, in bytes; larger files travel as blobs. */
    public static final long DEFAULT_INLINE_LIMIT = 16L << 20;
    private long inlineLimit = DEFAULT_INLINE_LIMIT;

    /**
     * @param bytes largest file carried inside the letter (inclusive); larger ones become blobs
     * @return this mailbox
     */
    public Mailbox inlineLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative inline limit");
        }
        this.inlineLimit = bytes;
        return this;
    }

    /** @return pending messages, oldest first */
    public List<MessageSummary> inbox() throws IOException {
        return relay.inbox();
    }

    /**
     * Fetches, opens and saves one message, then acknowledges it. On any failure nothing is
     * written under {@code outDir} and the message stays on the relay, except a message
     * already received (a replay, or a copy whose acknowledgement was lost): it is refused
     * and acknowledged.
     *
     * @param summary  the message, from {@link #inbox()}
     * @param outDir   where attachments go
     * @param maxBytes largest message accepted, in bytes
     * @return what was received
     * @throws IOException if the message is malformed or the relay fails
     * @throws GeneralSecurityException if decryption, verification or a header check fails
     */
    public Received receive(MessageSummary summary, Path outDir, long maxBytes) throws IOException, GeneralSecurityException {
        return receive(summary, outDir, maxBytes, Progress.NONE);
    }

    /**
     * Fetches, opens and saves one message with its blobs, then acknowledges it. Each blob is
     * downloaded into {@code $SEALPOST_HOME/downloads/} (resuming a download an earlier run
     * began), then decrypted into a temporary file under {@code outDir} while every segment and
     * the signed SHA-256 are checked. Files get their names only when all of them verified; on
     * any failure nothing is left under {@code outDir} and the message stays on the relay.
     *
     * @param progress where downloads and verification report
     * @see #receive(MessageSummary, Path, long)
     */
    public Received receive(MessageSummary summary, Path outDir, long maxBytes, Progress progress)
            throws IOException, GeneralSecurityException {
        Opened opened = peek(summary, maxBytes);
        String id = opened.letter().messageId();
        if (id.isBlank()) {
            throw new MessageRejectedException("message has no signed Message-ID, so a replay could not be detected");
        }
        ReceivedLog log = ReceivedLog.load(home);
        if (log.contains(opened.signer(), id)) {
            // Nothing new in it, so it is safe to let the relay forget it; otherwise a copy whose
            // first acknowledgement was lost would be refused on every receive.
            relay.acknowledge(summary.id());
            throw new MessageRejectedException("message " + id + " from " + opened.signer()
                    + " was already received (delivered again by the relay); not saved again");
        }
        List<Path> saved = save(summary, opened.letter(), outDir, progress);
        log.add(opened.signer(), id);
        boolean acknowledged = true;
        try {
            relay.acknowledge(summary.id());
        } catch (RelayException e) {
            // Saved and logged: the next receive acknowledges it as already received.
            acknowledged = false;
        }
        return new Received(summary, opened, saved, acknowledged);
    }

    /**
     * Fetches and opens one message without saving, acknowledging or recording it: for
     * previews in the inbox and for saving thumbnails only. The same checks as
     * {@link #receive} apply, except replay detection.
     *
     * @param summary  the message, from {@link #inbox()}
     * @param maxBytes largest message accepted, in bytes
     * @return the verified letter
     * @throws IOException if the message is malformed or the relay fails
     * @throws GeneralSecurityException if decryption, verification or a header check fails
     */
    public Opened peek(MessageSummary summary, long maxBytes) throws IOException, GeneralSecurityException {
        byte[] sealed = relay.fetch(summary.id(), maxBytes);
        String claimedSender = summary.sender();
        return LetterOpener.open(sealed, me, claimed -> Optional.of(trustedSigner(claimedSender)));
    }

    /**
     * Follows the relay's push stream; returns when the relay closes it.
     *
     * @param onOpen    called when the stream is open (then list the inbox, so nothing sent
     *                  before the subscription is missed)
     * @param onMessage called for each new message
     */
    public void follow(Runnable onOpen, Consumer<MessageSummary> onMessage) throws IOException {
        relay.events(onOpen, onMessage);
    }

    private List<Path> save(MessageSummary summary, Letter letter, Path outDir, Progress progress)
            throws IOException, GeneralSecurityException {
        if (letter.attachments().isEmpty() && letter.blobs().isEmpty()) {
            return List.of();
        }
        for (BlobRef ref : letter.blobs()) {
            if (ref.blobId().startsWith("#")) {
                throw new MessageRejectedException("message references blob " + ref.blobId() + ", which only exists in an offline bundle");
            }
        }
        List<Path> spools = new ArrayList<>();
        List<Path> saved;
        try (AttachmentWriter.Batch batch = AttachmentWriter.begin(outDir, true)) { // durable before the relay deletes it
            for (Attachment a : letter.attachments()) {
                batch.add(a.filename(), a.bytes());
            }
            Path downloads = letter.blobs().isEmpty() ? null : downloadsFolder();
            for (BlobRef ref : letter.blobs()) {
                spools.addAll(fetchBlob(downloads, summary, ref, batch, progress));
            }
            saved = batch.commit();
        }
        for (Path spool : spools) {
            java.nio.file.Files.deleteIfExists(spool);
        }
        return saved;
    }

    /** How long an abandoned partial download is kept for a later run to resume. */
    private static final java.time.Duration SPOOL_KEEP = java.time.Duration.ofDays(7);

    /**
     * Downloads one blob and decrypts it as it arrives into {@code $SEALPOST_HOME/downloads/},
     * keeping only verified segments there; an interrupted download continues after the last
     * whole segment (its hash state rebuilt by {@link dev.sealpost.crypto.BlobCipher#resumeAfter}).
     * Once all of it verified against the signed digest, the file joins the batch.
     *
     * @return the partial download's files, to delete once the batch is committed
     */
    private List<Path> fetchBlob(Path dir, MessageSummary summary, BlobRef ref, AttachmentWriter.Batch batch,
                                 Progress progress) throws IOException, GeneralSecurityException {
        String name = spoolName(summary.id(), ref.blobId());
        Path partial = dir.resolve(name + ".part");
        Path headerFile = dir.resolve(name + ".header");
        long total = ref.ciphertextSize();
        long segments = (total + dev.sealpost.crypto.BlobCipher.SEGMENT_BYTES - 1) / dev.sealpost.crypto.BlobCipher.SEGMENT_BYTES;
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            byte[] header = java.nio.file.Files.isRegularFile(headerFile) ? java.nio.file.Files.readAllBytes(headerFile) : new byte[0];
            long k = header.length == dev.sealpost.crypto.BlobCipher.HEADER_BYTES
                    ? Math.min(dev.sealpost.crypto.BlobCipher.wholeSegments(out.size()), segments - 1) : 0;
            out.truncate(dev.sealpost.crypto.BlobCipher.plaintextOffset(k));
            dev.sealpost.crypto.BlobCipher.Position from = null;
            if (k > 0) {
                out.position(0);
                from = dev.sealpost.crypto.BlobCipher.resumeAfter(ref.key(), header, out, k, total);
                notices.accept(String.format("resuming download of %s at byte %,d of %,d", ref.filename(), from.ciphertextOffset(), total));
            }
            out.position(dev.sealpost.crypto.BlobCipher.plaintextOffset(k));
            dev.sealpost.crypto.BlobCipher.Position start = from;
            EarlyWriteback sink = new EarlyWriteback(out, batch.durable());
            try (Progress.Task task = progress.start("download " + Blobs.shortName(ref.filename()), ref.encodedSize())) {
                relay.download(summary.id(), ref.blobId(), start == null ? 0 : start.ciphertextOffset(), total, body -> {
                    java.nio.channels.ReadableByteChannel in = StreamChannels.readable(body);
                    if (start == null) {
                        in = new HeaderTee(in, headerFile);
                    }
                    dev.sealpost.crypto.BlobCipher.decrypt(ref.key(), in, total, ref.sha256(), sink, task::update, start);
                });
            } catch (dev.sealpost.crypto.BlobIntegrityException e) {
                sink.finish();
                out.truncate(0); // what the relay sent is not what was signed: fetch it afresh next time
                java.nio.file.Files.deleteIfExists(headerFile);
                throw e;
            } finally {
                sink.finish();
            }
            if (batch.durable() && !ref.compressed()) {
                out.force(true);
            }
        }
        if (ref.compressed()) {
            Path tmp = batch.newTemp();
            try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(partial);
                 java.nio.channels.FileChannel dst = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
                 Deflate.InflatingChannel inflating = new Deflate.InflatingChannel(dst, ref.size())) {
                in.transferTo(0, in.size(), inflating);
                inflating.finish();
                if (batch.durable()) {
                    dst.force(true);
                }
            }
            batch.add(ref.filename(), tmp);
        } else {
            batch.adopt(ref.filename(), partial);
        }
        return List.of(partial, headerFile);
    }

    /**
     * Writes to a download's file and, when it must end up on disk, starts the disk writing every
     * 64 MiB in the background ({@code force} on a virtual thread), so that the final force
     * before the acknowledgement has little left to do: the disk works while the network does.
     */
    private static final class EarlyWriteback implements java.nio.channels.WritableByteChannel {
        private static final long EVERY = 64L << 20;
        private final java.nio.channels.FileChannel out;
        private final boolean enabled;
        private long unforced;
        private Thread running;

        EarlyWriteback(java.nio.channels.FileChannel out, boolean enabled) {
            this.out = out;
            this.enabled = enabled;
        }

        @Override
        public int write(java.nio.ByteBuffer src) throws IOException {
            int n = out.write(src);
            unforced += n;
            if (enabled && unforced >= EVERY && (running == null || !running.isAlive())) {
                unforced = 0;
                running = Thread.ofVirtual().name("sealpost-writeback").start(() -> {
                    try {
                        out.force(false);
                    } catch (IOException e) {
                        // only a head start: the final force reports real failures
                    }
                });
            }
            return n;
        }

        /** Waits for a background force still running. */
        void finish() throws IOException {
            if (running != null) {
                try {
                    running.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        @Override
        public void close() {}
    }

    /** Saves a blob's first {@value dev.sealpost.crypto.BlobCipher#HEADER_BYTES} bytes as they pass, for a later resume. */
    private static final class HeaderTee implements java.nio.channels.ReadableByteChannel {
        private final java.nio.channels.ReadableByteChannel in;
        private final Path file;
        private final byte[] header = new byte[dev.sealpost.crypto.BlobCipher.HEADER_BYTES];
        private int have;

        HeaderTee(java.nio.channels.ReadableByteChannel in, Path file) {
            this.in = in;
            this.file = file;
        }

        @Override
        public int read(java.nio.ByteBuffer dst) throws IOException {
            int from = dst.position();
            int n = in.read(dst);
            if (n > 0 && have < header.length) {
                int k = Math.min(n, header.length - have);
                dst.duplicate().position(from).limit(from + k).get(header, have, k);
                have += k;
                if (have == header.length) {
                    SealpostHome.writeAtomically(file, header, true);
                }
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return in.isOpen();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private String spoolName(String messageId, String blobId) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest((relay.base() + "\n" + messageId + "\n" + blobId)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 20) + ".part";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the private folder of partial downloads, with those abandoned long ago removed */
    private Path downloadsFolder() throws IOException {
        Path dir = home.root().resolve("downloads");
        java.nio.file.Files.createDirectories(dir);
        SealpostHome.trySetPermissions(dir, "rwx------");
        sweep(dir);
        return dir;
    }

    private void sweep(Path dir) {
        java.time.Instant cutoff = clock.instant().minus(SPOOL_KEEP);
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path p : files.toList()) {
                if (java.nio.file.Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    java.nio.file.Files.deleteIfExists(p);
                }
            }
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Default upper bound of a fetched message, in bytes. */
    public static final long DEFAULT_MAX_BYTES = Api.DEFAULT_MAX_MESSAGE_BYTES;

    private TrustedSigner trustedSigner(String name) throws IOException, GeneralSecurityException {
        if (name.equals(me.name())) {
            return new TrustedSigner(name, me.signingCertificate());
        }
        return new TrustedSigner(name, recipient(name).signingCertificate());
    }

    /** The pinned identity of {@code name}, pinning it from the key directory on first use. */
    private PublicIdentity recipient(String name) throws IOException, GeneralSecurityException {
        if (name.equals(me.name())) {
            return me.publicIdentity();
        }
        KeyBundle bundle;
        try {
            bundle = relay.keys(name);
        } catch (RelayException e) {
            if (e.status() == 404) {
                throw new RelayException(404, "unknown recipient: " + name + " (no such account, or no published keys)", -1);
            }
            throw e;
        }
        if (!name.equals(bundle.name())) {
            throw new MessageRejectedException("relay answered with keys for '" + bundle.name() + "' when asked for " + name);
        }
        Contacts.Pinned pinned = contacts.pinOrCheck(bundle);
        if (pinned.newlyPinned()) {
            notices.accept("pinned " + name + " on first use: signing " + pinned.identity().signingFingerprint());
        }
        return pinned.identity();
    }
}
