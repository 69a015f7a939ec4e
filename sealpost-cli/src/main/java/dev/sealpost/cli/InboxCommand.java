package dev.sealpost.cli;

import dev.sealpost.client.Attachment;
import dev.sealpost.client.BlobRef;
import dev.sealpost.client.Letter;
import dev.sealpost.client.RelayInbox;
import dev.sealpost.client.Opened;
import dev.sealpost.protocol.MessageSummary;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sealpost inbox}: lists pending messages. By default each one is opened (decrypted
 * and verified, not saved or acknowledged) to show a text preview and its images; with
 * {@code --no-decrypt} only what the relay knows is shown and no passphrase is needed.
 */
@Command(name = "inbox", mixinStandardHelpOptions = true,
        description = "List messages waiting for you: sender, time, size, and (decrypted locally) a text preview and the images with their sizes.")
final class InboxCommand implements Callable<Integer> {
    private static final int PREVIEW_CHARS = 72;

    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;
    @Mixin PassphraseOption pass;

    @Option(names = "--no-decrypt", description = "Show only what the relay knows (sender, time, size); needs no passphrase.")
    boolean noDecrypt;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        var relay = Local.relay(ctx);
        List<MessageSummary> inbox = relay.messages().inbox();
        if (inbox.isEmpty()) {
            if (!quiet.quiet) {
                ctx.out().println("no messages");
            }
            return 0;
        }
        RelayInbox box = noDecrypt ? null : Local.inbox(ctx, relay, Local.identity(ctx, pass, false, true), quiet.quiet);
        if (!quiet.quiet) {
            ctx.out().printf("%-24s %-16s %-20s %12s%n", "ID", "FROM", "SENT", "BYTES");
        }
        for (MessageSummary m : inbox) {
            ctx.out().printf("%-24s %-16s %-20s %,12d%n", m.id(), m.sender(), m.sentAt().truncatedTo(ChronoUnit.SECONDS), m.size());
            if (box != null) {
                preview(ctx, box, m);
            }
        }
        return 0;
    }

    private static void preview(Ctx ctx, RelayInbox box, MessageSummary m) {
        try {
            Opened o = box.peek(m, RelayInbox.DEFAULT_MAX_BYTES);
            Letter l = o.letter();
            String text = l.text().strip().replaceAll("\\s+", " ");
            if (text.length() > PREVIEW_CHARS) {
                text = text.substring(0, PREVIEW_CHARS - 3) + "...";
            }
            ctx.out().printf("    %s%s%n", l.subject().isEmpty() ? "" : "[" + Terminal.printable(l.subject()) + "] ",
                    Terminal.printable(text));
            if (!l.attachments().isEmpty() || !l.blobs().isEmpty()) {
                StringJoiner files = new StringJoiner("; ");
                for (Attachment a : l.attachments()) {
                    String dims = a.width() > 0 ? " " + a.width() + "x" + a.height() : "";
                    files.add(Terminal.printable(a.filename()) + dims + " " + String.format("%,d", a.size()) + " bytes");
                }
                for (BlobRef b : l.blobs()) {
                    files.add(Terminal.printable(b.filename()) + " " + String.format("%,d", b.size()) + " bytes (streamed)");
                }
                int n = l.attachments().size() + l.blobs().size();
                ctx.out().printf("    %d file%s: %s%n", n, n == 1 ? "" : "s", files);
            }
        } catch (IOException | GeneralSecurityException e) {
            ctx.out().printf("    (cannot open: %s)%n", Failures.message(e));
        }
    }
}
