package dev.sealpost.cli;

import dev.sealpost.client.Opened;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** How a received or opened message is shown. */
final class Report {
    private Report() {}

    static void opened(Ctx ctx, String id, Opened o, List<Path> saved, boolean quiet) {
        if (!quiet) {
            ctx.out().printf("message %s from %s to %s, %s%n", Terminal.printable(id), Terminal.printable(o.letter().from()),
                    Terminal.printable(String.join(", ", o.letter().to())), o.letter().date());
        }
        ctx.out().printf("signature verified: %s %s%n", o.signer(), o.signerFingerprint());
        if (!o.letter().subject().isEmpty()) {
            ctx.out().printf("subject: %s%n", Terminal.printable(o.letter().subject()));
        }
        ctx.out().println(o.letter().text().lines().map(Terminal::printable)
                .collect(java.util.stream.Collectors.joining(System.lineSeparator())));
        for (Path p : saved) {
            long size;
            try {
                size = Files.size(p);
            } catch (java.io.IOException e) {
                size = -1;
            }
            ctx.out().printf("saved %s (%,d bytes)%n", p, size);
        }
        ctx.out().flush();
    }
}
