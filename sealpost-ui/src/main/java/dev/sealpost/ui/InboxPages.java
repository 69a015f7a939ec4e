package dev.sealpost.ui;

import dev.sealpost.client.Attachment;
import dev.sealpost.client.BlobRef;
import dev.sealpost.client.Cancellation;
import dev.sealpost.client.Contacts;
import dev.sealpost.client.IncomingPipeline;
import dev.sealpost.client.Opened;
import dev.sealpost.client.PinnedKeys;
import dev.sealpost.client.Progress;
import dev.sealpost.client.Received;
import dev.sealpost.client.RelayInbox;
import dev.sealpost.client.SealpostHome;
import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.crypto.Identity;
import dev.sealpost.protocol.MessageSummary;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Inbox screen's routes, over {@link RelayInbox} as {@code sealpost inbox} and
 * {@code receive} use it: the list opens (decrypts and verifies, saves nothing) each waiting
 * message once and keeps what it learned in memory for the session; "Save all" receives one
 * (saves it with its streamed files under the chosen folder, then acknowledges it). New mail
 * arrives by the relay's push stream and is passed on to the page as a {@code message} event.
 */
final class InboxPages implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboxPages.class);

    private final SealpostHome home;
    private final Keyring keys;
    private final UiEvents events;
    private final Clock clock;
    private final UiSettings settings;
    private final RelaySession relays;
    /** What the list shows of each message seen this session (text and thumbnails: small). */
    private final Map<String, UiJson.InboxMessage> described = new ConcurrentHashMap<>();
    /** Most bytes of opened letters' attachments kept in memory; an evicted letter is opened again when asked for. */
    static final long LETTER_CACHE_BYTES = 128L << 20;
    private final LetterCache letters = new LetterCache(LETTER_CACHE_BYTES);
    private Cancellation watching;
    /** The thread following the relay: a virtual one, so an interrupt closes its socket and it lets go of the keys. */
    private Thread watcher;

    /**
     * What the list knows of one message: the relay's summary and the letter, or why it was
     * refused (and, when the sender's keys changed, who and the fingerprint offered now).
     */
    private record Entry(MessageSummary summary, Opened opened, String refusal, Contacts.KeyChangedException keyChanged) {}

    /**
     * Registers with {@code keys} so that locking forgets every opened letter and stops
     * following the relay (whose thread would hold the keys).
     *
     * @param settings where "Save all" and "Save" write
     * @param relays   the relay and session to use
     */
    InboxPages(SealpostHome home, Keyring keys, UiEvents events, Clock clock, UiSettings settings, RelaySession relays) {
        this.home = home;
        this.relays = relays;
        this.keys = keys;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
        keys.onLock(this::forgetAll);
    }

    /** {@code GET /api/inbox}: every waiting message, opened and checked, oldest first. */
    void list(Context ctx) throws IOException {
        RelayInbox inbox = inbox(ctx);
        if (inbox == null) {
            return;
        }
        watch(inbox);
        List<UiJson.InboxMessage> out = new ArrayList<>();
        try {
            for (MessageSummary s : inbox.list()) {
                out.add(describeOnce(inbox, s));
            }
        } catch (RelayException e) {
            problem(ctx, HttpStatus.BAD_GATEWAY, e.getMessage());
            return;
        } catch (java.io.UncheckedIOException e) {
            problem(ctx, HttpStatus.BAD_GATEWAY, e.getCause().getMessage());
            return;
        }
        ctx.json(out);
    }

    /** {@code GET /api/messages/{id}/attachments/{index}}: an image or attachment carried in the letter, for display. */
    void attachment(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        Opened letter = letters.get(id);
        if (letter == null && described.containsKey(id)) { // evicted: open it again
            RelayInbox inbox = inbox(ctx);
            if (inbox == null) {
                return;
            }
            MessageSummary s = inbox.list().stream().filter(m -> m.id().equals(id)).findFirst().orElse(null);
            letter = s == null ? null : open(inbox, s).opened();
        }
        int index = index(ctx.pathParam("index"));
        if (letter == null || index < 0 || index >= letter.letter().attachments().size()) {
            problem(ctx, HttpStatus.NOT_FOUND, "no such attachment");
            return;
        }
        Attachment a = letter.letter().attachments().get(index);
        boolean image = a.mediaType().startsWith("image/") && !a.mediaType().contains("svg");
        ctx.contentType(image ? a.mediaType() : "application/octet-stream")
                .header("Content-Disposition", (image ? "inline" : "attachment") + "; filename*=UTF-8''"
                        + java.net.URLEncoder.encode(a.filename(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"))
                .result(a.bytes());
    }

    /**
     * {@code POST /api/messages/{id}/receive}: saves the message and its files under the chosen
     * folder, then acknowledges it (as {@code sealpost receive ID}); a refused message saves nothing.
     */
    void receive(Context ctx) throws IOException {
        RelayInbox inbox = inbox(ctx);
        if (inbox == null) {
            return;
        }
        String id = ctx.pathParam("id");
        try {
            Optional<MessageSummary> summary = inbox.list().stream().filter(s -> s.id().equals(id)).findFirst();
            if (summary.isEmpty()) {
                problem(ctx, HttpStatus.NOT_FOUND, "no such message waiting");
                return;
            }
            Received r = inbox.receive(summary.get(), settings.saveTo(), RelayInbox.DEFAULT_MAX_BYTES, progress("save:" + id));
            described.remove(id);
            letters.remove(id);
            ctx.json(new UiJson.ReceivedMessage(r.saved().stream().map(p -> p.toAbsolutePath().toString()).toList(),
                    r.acknowledged()));
        } catch (GeneralSecurityException e) {
            problem(ctx, HttpStatus.UNPROCESSABLE_CONTENT, "refused, nothing saved: " + e.getMessage());
        } catch (RelayException e) {
            problem(ctx, HttpStatus.BAD_GATEWAY, e.getMessage());
        }
    }

    /**
     * {@code POST /api/messages/{id}/files/{index}/save}: saves a copy of one file (the
     * attachments first, then the streamed files, from 0) under the chosen folder, verified as
     * "Save all" verifies it; the message stays waiting. Progress comes as {@code progress}
     * events of job {@code save:ID:INDEX}.
     */
    void saveOne(Context ctx) throws IOException {
        RelayInbox inbox = inbox(ctx);
        if (inbox == null) {
            return;
        }
        String id = ctx.pathParam("id");
        int index = index(ctx.pathParam("index"));
        try {
            MessageSummary summary = inbox.list().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
            Opened letter = summary == null ? null : letters.get(id); // received meanwhile: its files are saved already
            if (letter == null && summary != null) {
                letter = open(inbox, summary).opened();
            }
            if (letter == null || index < 0 || index >= letter.letter().attachments().size() + letter.letter().blobs().size()) {
                problem(ctx, HttpStatus.NOT_FOUND, "no such file in a verified message waiting");
                return;
            }
            Path saved = inbox.saveCopy(summary, letter, index, settings.saveTo(), progress("save:" + id + ":" + index));
            ctx.json(new UiJson.ReceivedMessage(List.of(saved.toAbsolutePath().toString()), false));
        } catch (GeneralSecurityException e) {
            problem(ctx, HttpStatus.UNPROCESSABLE_CONTENT, "refused, nothing saved: " + e.getMessage());
        } catch (RelayException e) {
            problem(ctx, HttpStatus.BAD_GATEWAY, e.getMessage());
        }
    }

    /** {@code GET /api/settings}. */
    void settings(Context ctx) {
        ctx.json(new UiJson.Settings(settings.saveTo().toString()));
    }

    /** {@code POST /api/settings}: a new folder to save to, absolute or relative to where the UI runs; kept for the next run. */
    void updateSettings(Context ctx) throws IOException {
        UiJson.Settings wanted = ctx.bodyAsClass(UiJson.Settings.class);
        try {
            settings.saveTo(wanted.saveTo());
        } catch (IllegalArgumentException e) {
            problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        settings(ctx);
    }

    /** Progress events for a save, at most one per file every 100 ms (and the last). */
    private Progress progress(String job) {
        return ThrottledProgress.of(events, job);
    }

    /** The list's entry for a message: opened once and kept if it verified; a refusal is tried again each time. */
    private UiJson.InboxMessage describeOnce(RelayInbox inbox, MessageSummary s) {
        UiJson.InboxMessage known = described.get(s.id());
        if (known != null) {
            return known;
        }
        UiJson.InboxMessage m = describe(open(inbox, s));
        if (m.verified()) {
            described.put(s.id(), m);
        }
        return m;
    }

    /** Opens (fetches, decrypts, verifies) one message and keeps its letter in the bounded cache. */
    private Entry open(RelayInbox inbox, MessageSummary s) {
        try {
            Opened o = inbox.peek(s, RelayInbox.DEFAULT_MAX_BYTES);
            letters.put(s.id(), o);
            return new Entry(s, o, null, null);
        } catch (RelayException.Unreachable e) { // not the message's fault: no entry, try again next time
            throw new java.io.UncheckedIOException(e);
        } catch (Contacts.KeyChangedException e) {
            return new Entry(s, null, s.sender() + "'s keys changed since you pinned them: the message cannot be checked"
                    + " until you compare and trust the new ones", e);
        } catch (GeneralSecurityException | IOException e) {
            return new Entry(s, null, e.getMessage(), null);
        }
    }

    /** Forgets everything decrypted (the keys were locked) and stops following the relay. */
    private void forgetAll() {
        close();
        described.clear();
        letters.clear();
    }

    private static int index(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    private static UiJson.InboxMessage describe(Entry e) {
        MessageSummary s = e.summary();
        if (e.opened() == null) {
            return new UiJson.InboxMessage(s.id(), s.sender(), s.sentAt().toString(), s.size(), null, null, false,
                    null, e.refusal(), e.keyChanged() == null ? null : e.keyChanged().name(),
                    e.keyChanged() == null ? null : e.keyChanged().offered().toString(), List.of(), List.of());
        }
        Opened o = e.opened();
        List<UiJson.Shown> attachments = new ArrayList<>();
        List<Attachment> all = o.letter().attachments();
        for (int i = 0; i < all.size(); i++) {
            Attachment a = all.get(i);
            String thumb = a.thumbnail() == null ? null
                    : "data:" + a.thumbnail().mediaType() + ";base64," + Base64.getEncoder().encodeToString(a.thumbnail().bytes());
            attachments.add(new UiJson.Shown(a.filename(), a.mediaType(), a.bytes().length, a.width(), a.height(), thumb,
                    "/api/messages/" + s.id() + "/attachments/" + i));
        }
        List<UiJson.Shown> files = new ArrayList<>();
        for (BlobRef b : o.letter().blobs()) {
            files.add(new UiJson.Shown(b.filename(), b.mediaType(), b.size(), 0, 0, null, null));
        }
        return new UiJson.InboxMessage(s.id(), o.signer(), s.sentAt().toString(), s.size(), o.letter().subject(),
                o.letter().text(), true, o.signerFingerprint().toString(), null, null, null, attachments, files);
    }

    /** Follows the relay's push stream on a thread of its own, once, while the server runs. */
    private synchronized void watch(RelayInbox inbox) {
        if (watching != null) {
            return;
        }
        Cancellation stop = new Cancellation();
        watching = stop;
        watcher = Thread.ofVirtual().name("sealpost-ui-inbox").start(() -> {
            try {
                inbox.watch(new RelayInbox.WatchListener() {
                    @Override
                    public boolean message(MessageSummary summary) {
                        events.publish("message", new UiJson.NewMessage(summary.id(), summary.sender(), prefetch(summary)));
                        return true;
                    }

                    @Override
                    public void reconnecting(RelayException.Unreachable cause, long delaySeconds) {
                        LOG.info("inbox: relay stream broke ({}); again in {} s", cause.getMessage(), delaySeconds);
                    }
                }, stop);
            } catch (Cancellation.Cancelled | IOException | java.io.UncheckedIOException e) {
                LOG.info("inbox: no longer watching ({})", e.toString());
            } finally {
                synchronized (this) {
                    if (watching == stop) {
                        watching = null;
                    }
                }
            }
        });
    }

    /**
     * Opens new mail as it is pushed, before the page asks for the list, when the keys are
     * unlocked (this does not count as a use, so mail does not keep them unlocked). A failure
     * leaves it to the list.
     *
     * @return the message as listed, if it was opened and verified; null otherwise
     */
    private UiJson.InboxMessage prefetch(MessageSummary summary) {
        try {
            RelayInbox inbox = keys.current().isPresent() ? inbox() : null;
            UiJson.InboxMessage m = inbox == null ? null : describeOnce(inbox, summary);
            return m != null && m.verified() ? m : null;
        } catch (IOException | RuntimeException e) {
            LOG.debug("inbox: {} not opened ahead: {}", summary.id(), e.toString());
            return null;
        }
    }

    /** @return an inbox over the saved session with the unlocked keys (not counting as a use); null if locked or logged out */
    private RelayInbox inbox() throws IOException {
        Identity me = keys.current().orElse(null);
        RelayClient relay = relays.client().orElse(null);
        return me == null || relay == null ? null : inbox(me, relay);
    }

    private RelayInbox inbox(Identity me, RelayClient relay) throws IOException {
        return new RelayInbox(relay, home, new IncomingPipeline(me), new PinnedKeys(me, Contacts.load(home), relay.accounts(),
                notice -> { }), clock, notice -> { });
    }

    /** @return an inbox over the saved session with the unlocked keys; null after answering 409 */
    private RelayInbox inbox(Context ctx) throws IOException {
        Identity me = keys.use().orElse(null);
        if (me == null) {
            problem(ctx, HttpStatus.CONFLICT, "your keys are locked: unlock them first");
            return null;
        }
        RelayClient relay = relays.client().orElse(null);
        if (relay == null) {
            problem(ctx, HttpStatus.CONFLICT, "not logged in to a relay: log in on the Account screen");
            return null;
        }
        return inbox(me, relay);
    }

    private static void problem(Context ctx, HttpStatus status, String message) {
        ctx.status(status).json(new UiJson.Problem(message));
    }

    /** Stops following the relay's stream (the next list starts again). */
    @Override
    public synchronized void close() {
        if (watching != null) {
            watching.cancel();
            watcher.interrupt();
            watching = null;
        }
    }
}
