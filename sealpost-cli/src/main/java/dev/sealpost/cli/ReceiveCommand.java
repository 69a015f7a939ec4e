package dev.sealpost.cli;

import dev.sealpost.client.Attachment;
import dev.sealpost.client.AttachmentWriter;
import dev.sealpost.client.Received;
import dev.sealpost.client.RelayInbox;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.protocol.MessageSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost receive}: fetch, decrypt, verify, print, save, acknowledge. */
@Command(name = "receive", mixinStandardHelpOptions = true,
        description = "Fetch messages, check each signature against the sender you trust, decrypt, print the text and save the images. "
                + "A message that fails any check is reported, nothing of it is saved, and it stays on the relay.")
final class ReceiveCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;
    @Mixin PassphraseOption pass;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "The message to receive (see 'sealpost inbox').")
    String id;

    @Option(names = "--all", description = "Receive every pending message (the default when no ID is given).")
    boolean all;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "received", description = "Where to save attachments (default: ./received).")
    Path out;

    @Option(names = "--thumbnails-only", description = "Save only the thumbnails that travel inside each message; the messages stay on the relay.")
    boolean thumbnailsOnly;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        if (id != null && all) {
            throw new Failures.UserException(Failures.USAGE, "give a message ID or --all, not both");
        }
        RelayInbox box = Receiving.inbox(ctx, pass, quiet.quiet);
        List<MessageSummary> pending = box.list();
        if (id != null) {
            pending = pending.stream().filter(m -> m.id().equals(id)).toList();
            if (pending.isEmpty()) {
                throw new Failures.UserException(Failures.ERROR, "no pending message " + id);
            }
        }
        if (pending.isEmpty() && !quiet.quiet) {
            ctx.out().println("no messages");
        }
        if (thumbnailsOnly) {
            return thumbnails(ctx, box, pending);
        }
        return Receiving.receiveAll(ctx, box, pending, out, quiet.quiet);
    }

    private int thumbnails(Ctx ctx, RelayInbox box, List<MessageSummary> pending) {
        int worst = 0;
        for (MessageSummary m : pending) {
            try {
                var letter = box.peek(m, RelayInbox.DEFAULT_MAX_BYTES).letter();
                List<Attachment> thumbs = new ArrayList<>();
                for (Attachment a : letter.attachments()) {
                    if (a.thumbnail() != null) {
                        String stem = a.filename().replaceAll("\\.[^.]*$", "");
                        String ext = a.thumbnail().mediaType().equals("image/png") ? ".png" : ".jpg";
                        thumbs.add(new Attachment(stem + ".thumb" + ext, a.thumbnail().mediaType(), a.thumbnail().bytes()));
                    }
                }
                for (Path p : AttachmentWriter.saveAll(thumbs, out)) {
                    ctx.out().printf("saved %s (thumbnail, message %s from %s)%n", p, m.id(), m.sender());
                }
            } catch (IOException | GeneralSecurityException e) {
                int code = Receiving.refused(ctx, m, e);
                worst = worst == 0 ? code : worst;
            }
        }
        return worst;
    }

    /** Receiving shared with {@code watch}. */
    static final class Receiving {
        private Receiving() {}

        static RelayInbox inbox(Ctx ctx, PassphraseOption pass, boolean quiet) throws IOException, GeneralSecurityException {
            return Local.inbox(ctx, Local.relay(ctx), Local.identity(ctx, pass, false, true), quiet);
        }

        /** Reports a message that failed a check or could not be fetched. @return its exit code */
        static int refused(Ctx ctx, MessageSummary m, Exception e) {
            ctx.err().printf("sealpost: message %s from %s refused: %s%n", m.id(), m.sender(), Failures.message(e));
            ctx.err().flush();
            return Failures.codeFor(e);
        }

        /** @return 0 if all succeeded, else the exit code of the first failure (each failure is reported) */
        static int receiveAll(Ctx ctx, RelayInbox box, List<MessageSummary> messages, Path out, boolean quiet) throws IOException {
            int worst = 0;
            for (MessageSummary m : messages) {
                try {
                    Received r = box.receive(m, out, RelayInbox.DEFAULT_MAX_BYTES, TerminalProgress.of(quiet));
                    Report.opened(ctx, m.id(), r.opened(), r.saved(), quiet);
                    if (!r.acknowledged()) {
                        ctx.err().printf("sealpost: warning: message %s was received but the relay could not be told; "
                                + "the next receive will clear it%n", m.id());
                    }
                } catch (IOException | GeneralSecurityException e) {
                    int code = Failures.codeFor(e);
                    if (e instanceof RelayException.Unreachable unreachable) {
                        throw unreachable; // not a verdict on this message: stop, the rest stay on the relay
                    }
                    refused(ctx, m, e);
                    worst = worst == 0 ? code : worst;
                }
            }
            return worst;
        }
    }
}
