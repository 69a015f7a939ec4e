package dev.sealpost.ui;

import dev.sealpost.client.Attachment;
import dev.sealpost.client.Cancellation;
import dev.sealpost.client.Contacts;
import dev.sealpost.client.Draft;
import dev.sealpost.client.OutgoingFile;
import dev.sealpost.client.OutgoingPipeline;
import dev.sealpost.client.PinnedKeys;
import dev.sealpost.client.RelayDestination;
import dev.sealpost.client.SealpostHome;
import dev.sealpost.client.Sent;
import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.crypto.AtomicFiles;
import dev.sealpost.crypto.Identity;
import dev.sealpost.media.Compression;
import dev.sealpost.media.ImageFormat;
import dev.sealpost.media.Images;
import dev.sealpost.media.MediaOptions;
import dev.sealpost.media.MetadataKind;
import dev.sealpost.media.PreparedImage;
import dev.sealpost.media.Thumbnails;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Compose screen's routes. The page creates a draft, streams each chosen file into it
 * ({@code PUT}, the bytes as they are, any size), then asks to send: the server runs
 * {@link OutgoingPipeline} with a {@link RelayDestination}, exactly as {@code sealpost send}
 * does, on a thread of its own, and reports progress and the result over {@link UiEvents}.
 * Images (by their first bytes) are compressed and stripped as {@code send --image} does;
 * other files travel as they are, streamed when large. A draft's folder is private (0700)
 * and deleted once sent; a draft that failed or was cancelled stays for the next Send.
 */
final class ComposePages {
    private static final Logger LOG = LoggerFactory.getLogger(ComposePages.class);
    /** Largest file treated as an image to compress (it is decoded in memory); larger ones travel as files. */
    static final long MAX_IMAGE_BYTES = 64L << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SealpostHome home;
    private final Keyring keys;
    private final UiEvents events;
    private final Clock clock;
    private final RelaySession relays;
    private final Path root;
    private final Map<String, DraftFolder> drafts = new ConcurrentHashMap<>();
    private final Map<String, Cancellation> jobs = new ConcurrentHashMap<>();

    /** Prepares attached images off the request threads: decoding is CPU work, one image per core at most. */
    private final ExecutorService preparing;

    /**
     * A draft being filled: its folder, its files in the order they came (a removed one stays
     * as null, so indexes do not move), and each image's preparation for the compression last
     * asked for. Guarded by itself.
     */
    private record DraftFolder(Path dir, List<UiJson.DraftFile> files, Map<Integer, Preparation> prepared, long created) {}

    /**
     * Most drafts kept at once: a page closed or reloaded before sending leaves its draft
     * behind, and the oldest go (files and prepared images) when a new one would pass this.
     */
    static final int MAX_DRAFTS = 8;

    /**
     * One image compressed and stripped as {@code send --image} does it, with its envelope
     * thumbnail, started when the file arrived so that the page can show what will travel and
     * Send does not wait for it.
     */
    private record Preparation(String compressionName, CompletableFuture<Attachment> attachment,
                               CompletableFuture<UiJson.Preview> preview) {}

    /**
     * Creates {@code $SEALPOST_HOME/ui/drafts} (0700) and deletes the drafts an earlier run left
     * (a page closed before sending).
     *
     * @throws IOException if the folder cannot be created
     */
    ComposePages(SealpostHome home, Keyring keys, UiEvents events, Clock clock, RelaySession relays) throws IOException {
        this.home = home;
        this.relays = relays;
        this.keys = keys;
        this.events = events;
        this.clock = clock;
        this.root = home.root().resolve("ui").resolve("drafts");
        this.preparing = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
                Thread.ofPlatform().name("sealpost-ui-prepare-", 0).daemon().factory());
        AtomicFiles.createPrivateDirectory(root.getParent());
        AtomicFiles.createPrivateDirectory(root);
        try (Stream<Path> left = Files.list(root)) {
            left.forEach(ComposePages::deleteQuietly);
        }
    }

    /** {@code POST /api/drafts}: a new, empty draft. */
    void create(Context ctx) throws IOException {
        String id = randomId();
        AtomicFiles.createPrivateDirectory(root.resolve(id));
        synchronized (drafts) {
            while (drafts.size() >= MAX_DRAFTS) {
                drafts.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().created())).ifPresent(oldest -> {
                    drafts.remove(oldest.getKey());
                    deleteQuietly(oldest.getValue().dir());
                });
            }
            drafts.put(id, new DraftFolder(root.resolve(id), new ArrayList<>(), new HashMap<>(), System.nanoTime()));
        }
        ctx.status(HttpStatus.CREATED).json(new UiJson.DraftCreated(id));
    }

    /**
     * {@code PUT /api/drafts/{id}/files?name=NAME&compression=C}: one file's bytes, streamed to
     * the draft's folder; an image starts being prepared with compression {@code C} at once.
     */
    void addFile(Context ctx) throws IOException {
        DraftFolder d = draft(ctx);
        String name = ctx.queryParam("name");
        if (d == null || name == null || name.isBlank() || name.length() > 255) {
            problem(ctx, d == null ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST, d == null ? "no such draft" : "a file needs a name");
            return;
        }
        Path file;
        int index;
        synchronized (d) {
            index = d.files().size();
            d.files().add(null); // reserved: a second PUT at the same time gets the next index
        }
        file = d.dir().resolve(Integer.toString(index));
        try (InputStream in = ctx.bodyInputStream()) {
            Files.copy(in, file);
        }
        UiJson.DraftFile added = new UiJson.DraftFile(index, name, Files.size(file), isImage(file));
        synchronized (d) {
            d.files().set(index, added);
        }
        if (added.image()) {
            try {
                preparation(d, added, ctx.queryParam("compression"));
            } catch (IllegalArgumentException e) {
                problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
                return;
            }
        }
        ctx.status(HttpStatus.CREATED).json(added);
    }

    /**
     * {@code GET /api/drafts/{id}/files/{index}?compression=C}: what will travel of one file:
     * for an image, its size before and after compression {@code C} and the metadata removed
     * (waits for the preparation); for another file, its size.
     */
    void preview(Context ctx) throws Exception {
        DraftFolder d = draft(ctx);
        UiJson.DraftFile f = d == null ? null : file(d, ctx.pathParam("index"));
        if (f == null) {
            problem(ctx, HttpStatus.NOT_FOUND, "no such file in this draft");
            return;
        }
        if (!f.image()) {
            ctx.json(new UiJson.Preview(f.index(), f.name(), f.size(), -1, 0, 0, null, List.of(), List.of(), null));
            return;
        }
        Preparation p;
        try {
            p = preparation(d, f, ctx.queryParam("compression"));
        } catch (IllegalArgumentException e) {
            problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        ctx.json(p.preview().get());
    }

    /** {@code DELETE /api/drafts/{id}/files/{index}}: takes a file out of the draft. */
    void removeFile(Context ctx) throws IOException {
        DraftFolder d = draft(ctx);
        UiJson.DraftFile f = d == null ? null : file(d, ctx.pathParam("index"));
        if (f == null) {
            problem(ctx, HttpStatus.NOT_FOUND, "no such file in this draft");
            return;
        }
        synchronized (d) {
            d.files().set(f.index(), null);
            d.prepared().remove(f.index());
        }
        Files.deleteIfExists(d.dir().resolve(Integer.toString(f.index())));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /** The image's preparation for {@code compressionName} (default lossless), started now if there is none for it yet. */
    private Preparation preparation(DraftFolder d, UiJson.DraftFile f, String compressionName) {
        String wanted = compressionName == null || compressionName.isBlank() ? "lossless" : compressionName;
        synchronized (d) {
            Preparation p = d.prepared().get(f.index());
            if (p != null && p.compressionName().equals(wanted)) {
                return p;
            }
            Compression compression = Compression.parse(wanted); // one that is no longer wanted finishes unobserved
            Path path = d.dir().resolve(Integer.toString(f.index()));
            CompletableFuture<UiJson.Preview> preview = new CompletableFuture<>();
            CompletableFuture<Attachment> attachment = CompletableFuture.supplyAsync(() -> {
                try {
                    PreparedImage img = Images.prepare(f.name(), Files.readAllBytes(path), MediaOptions.defaults(compression));
                    Attachment ready = attachment(img); // the thumbnail too: Send then waits for nothing
                    preview.complete(new UiJson.Preview(f.index(), f.name(), img.originalSize(), img.size(), img.width(),
                            img.height(), img.mediaType(), described(img.removed()),
                            img.metadataKept() ? described(img.metadata()) : List.of(), null));
                    return ready;
                } catch (IOException e) {
                    preview.complete(new UiJson.Preview(f.index(), f.name(), f.size(), -1, 0, 0, null, List.of(), List.of(),
                            oneLine(e)));
                    throw new UncheckedIOException(e);
                } catch (RuntimeException e) {
                    preview.complete(new UiJson.Preview(f.index(), f.name(), f.size(), -1, 0, 0, null, List.of(), List.of(),
                            oneLine(e)));
                    throw e;
                }
            }, preparing);
            p = new Preparation(wanted, attachment, preview);
            d.prepared().put(f.index(), p);
            return p;
        }
    }

    /**
     * {@code POST /api/drafts/{id}/send}: starts sending; answers 202 with the job id at once.
     * Progress comes as {@code progress} events, the end as {@code sent} or {@code failed}.
     */
    void send(Context ctx) throws IOException {
        DraftFolder d = draft(ctx);
        UiJson.SendRequest request = ctx.bodyAsClass(UiJson.SendRequest.class);
        if (d == null) {
            problem(ctx, HttpStatus.NOT_FOUND, "no such draft");
            return;
        }
        List<String> to = request.to() == null ? List.of()
                : request.to().stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        if (to.isEmpty()) {
            problem(ctx, HttpStatus.BAD_REQUEST, "add at least one recipient in To");
            return;
        }
        String compression = request.compression() == null || request.compression().isBlank() ? "lossless" : request.compression();
        try {
            Compression.parse(compression);
        } catch (IllegalArgumentException e) {
            problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        Identity me = keys.use().orElse(null);
        if (me == null) {
            problem(ctx, HttpStatus.CONFLICT, "your keys are locked: unlock them first");
            return;
        }
        RelayClient relay = relay();
        if (relay == null) {
            problem(ctx, HttpStatus.CONFLICT, "not logged in to a relay: log in on the Account screen");
            return;
        }
        String draftId = ctx.pathParam("id");
        if (drafts.remove(draftId) == null) {
            problem(ctx, HttpStatus.CONFLICT, "this draft is being sent already");
            return;
        }
        String job = randomId();
        Cancellation cancellation = new Cancellation();
        jobs.put(job, cancellation);
        Thread.ofVirtual().name("sealpost-ui-send-" + job).start(() -> run(job, me, relay, draftId, d, to, request, compression, cancellation));
        ctx.status(HttpStatus.ACCEPTED).json(new UiJson.Job(job));
    }

    /** {@code POST /api/jobs/{id}/cancel}: stops a send within one 1 MiB segment; a later send resumes its uploads. */
    void cancel(Context ctx) {
        Cancellation c = jobs.get(ctx.pathParam("id"));
        if (c == null) {
            problem(ctx, HttpStatus.NOT_FOUND, "no such job");
            return;
        }
        c.cancel();
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void run(String job, Identity me, RelayClient relay, String draftId, DraftFolder d, List<String> to, UiJson.SendRequest request,
                     String compression, Cancellation cancellation) {
        UiJson.FailedEvent failed;
        try {
            List<Attachment> attachments = new ArrayList<>();
            List<OutgoingFile> files = new ArrayList<>();
            List<UiJson.DraftFile> chosen;
            synchronized (d) {
                chosen = d.files().stream().filter(java.util.Objects::nonNull).toList();
            }
            for (UiJson.DraftFile f : chosen) {
                Path path = d.dir().resolve(Integer.toString(f.index()));
                if (f.image()) {
                    attachments.add(prepared(preparation(d, f, compression)));
                } else {
                    files.add(OutgoingFile.of(path, f.name()));
                }
                cancellation.check();
            }
            Draft draft = new Draft(nonNull(request.subject()), nonNull(request.text()), attachments, files);
            if (draft.isEmpty()) {
                throw new IllegalArgumentException("nothing to send: write a message or attach a file");
            }
            PinnedKeys pins = new PinnedKeys(me, Contacts.load(home), relay.accounts(), notice -> { });
            Sent sent;
            try (RelayDestination destination = new RelayDestination(relay, home, notice -> { })) {
                sent = new OutgoingPipeline(me, clock, OutgoingPipeline.DEFAULT_INLINE_LIMIT)
                        .send(pins.recipients(to), draft, destination, cancellation.guard(ThrottledProgress.of(events, job)));
            }
            jobs.remove(job);
            deleteQuietly(d.dir());
            events.publish("sent", new UiJson.SentEvent(job, sent.messageId(), sent.recipients()));
            return;
        } catch (Cancellation.Cancelled e) {
            failed = new UiJson.FailedEvent(job, "cancelled");
        } catch (Contacts.KeyChangedException e) {
            failed = new UiJson.FailedEvent(job, e.name() + "'s keys changed: nothing was sent", e.name(), e.offered().toString());
        } catch (Exception e) {
            LOG.info("send {} failed: {}", job, e.toString());
            failed = new UiJson.FailedEvent(job, oneLine(e));
        }
        // Not sent: the draft stays, with its files and prepared images, for the next Send (which
        // resumes the uploads), and is back in place before the page hears of the failure.
        jobs.remove(job);
        drafts.put(draftId, d);
        events.publish("failed", failed);
    }

    /** Waits for a preparation; its failure is the send's, with the image's own message. */
    private static Attachment prepared(Preparation p) throws IOException, InterruptedException {
        try {
            return p.attachment().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** As {@code send --image}: the prepared image with a thumbnail for the envelope. */
    private static Attachment attachment(PreparedImage img) throws IOException {
        Attachment.Thumbnail thumb = Thumbnails.of(img)
                .map(t -> new Attachment.Thumbnail(t.mediaType(), t.bytes(), t.width(), t.height())).orElse(null);
        return new Attachment(img.filename(), img.mediaType(), img.bytes(), img.width(), img.height(), thumb);
    }

    private RelayClient relay() throws IOException {
        return relays.client().orElse(null);
    }

    private DraftFolder draft(Context ctx) {
        return drafts.get(ctx.pathParam("id"));
    }

    /** @return the draft's file at the index in the path, or null if there is none (or it was removed) */
    private static UiJson.DraftFile file(DraftFolder d, String index) {
        int i;
        try {
            i = Integer.parseInt(index);
        } catch (NumberFormatException notANumber) {
            return null;
        }
        synchronized (d) {
            return i >= 0 && i < d.files().size() ? d.files().get(i) : null;
        }
    }

    private static boolean isImage(Path file) throws IOException {
        if (Files.size(file) > MAX_IMAGE_BYTES) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return ImageFormat.detect(in.readNBytes(32)).isPresent();
        }
    }

    private static List<String> described(java.util.Set<MetadataKind> kinds) {
        return kinds.stream().map(MetadataKind::description).toList();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete the draft folder {}: {}", dir, e.toString());
        }
    }

    private static String randomId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void problem(Context ctx, HttpStatus status, String message) {
        ctx.status(status).json(new UiJson.Problem(message));
    }
}
