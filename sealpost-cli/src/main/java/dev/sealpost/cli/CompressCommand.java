package dev.sealpost.cli;

import dev.sealpost.client.Attachment;
import dev.sealpost.client.AttachmentWriter;
import dev.sealpost.media.PreparedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost compress}: writes exactly what {@code send} would attach, without sending. */
@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Compress images exactly as send and seal would, write the results to a folder, and print the sizes before and after.")
final class CompressCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "lossless", description = "lossless (default), jpeg[:QUALITY] or none.")
    String mode;

    @Parameters(paramLabel = "IN", arity = "1..*", description = "Images, or folders of images.")
    List<Path> inputs;

    @Option(names = "--keep-metadata", description = "Keep metadata in images kept as given (as send --keep-metadata).")
    boolean keepMetadata;

    @Option(names = "--max-size", paramLabel = "PX", defaultValue = "0", description = "Downscale images whose longer side exceeds PX pixels.")
    int maxSize;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "100000000", description = "Refuse images of more than N pixels.")
    long maxPixels;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the results (existing files are never overwritten).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        ImageInputs in = new ImageInputs();
        in.images = inputs;
        in.compress = mode;
        in.keepMetadata = keepMetadata;
        in.maxSize = maxSize;
        in.maxPixels = maxPixels;
        List<PreparedImage> prepared = in.prepareImages(ctx, quiet.quiet);
        List<Attachment> files = new ArrayList<>();
        long before = 0;
        long after = 0;
        for (PreparedImage img : prepared) {
            files.add(new Attachment(img.filename(), img.mediaType(), img.bytes()));
            before += img.originalSize();
            after += img.bytes().length;
        }
        List<Path> written = AttachmentWriter.saveAll(files, out);
        if (!quiet.quiet) {
            written.forEach(p -> ctx.out().printf("wrote %s%n", p));
            ctx.out().printf("%d image%s: %,d -> %,d bytes (%s)%n", prepared.size(), prepared.size() == 1 ? "" : "s", before, after,
                    before == 0 ? "n/a" : String.format("%.1f%% of original", 100.0 * after / before));
        }
        return 0;
    }
}
