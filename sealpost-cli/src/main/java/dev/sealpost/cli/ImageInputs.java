package dev.sealpost.cli;

import dev.sealpost.client.Attachment;
import dev.sealpost.media.Compression;
import dev.sealpost.media.Images;
import dev.sealpost.media.PreparedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --image FILE... --compress MODE}: images to attach, and how to compress them. */
final class ImageInputs {
    @Option(names = "--image", paramLabel = "FILE", arity = "1..*",
            description = "An image to attach (PNG, JPEG, GIF, BMP, TIFF, WebP); repeatable.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--compress", paramLabel = "MODE", defaultValue = "lossless",
            description = "lossless (default: PNG re-encoded smaller, JPEG kept as is), jpeg[:QUALITY] (default 85), or none.")
    String compress;

    /**
     * Validates and compresses every image before anything is sealed or sent.
     *
     * @return the attachments, in order
     * @throws IOException naming the first file that is missing, unreadable or not an image
     */
    List<Attachment> prepare(Ctx ctx, boolean quiet) throws IOException {
        Compression mode = Compression.parse(compress);
        List<Attachment> out = new ArrayList<>();
        for (Path p : images) {
            PreparedImage img = Images.prepare(p, mode);
            if (!quiet) {
                long before = img.originalSize();
                long after = img.bytes().length;
                String change = before == after ? " (unchanged)"
                        : String.format(" (%+.0f%%)", 100.0 * (after - before) / Math.max(1, before));
                ctx.out().printf("image %s: %dx%d, %,d -> %,d bytes%s [%s]%n", img.filename(), img.width(), img.height(),
                        before, after, change, compress);
            }
            out.add(new Attachment(img.filename(), img.mediaType(), img.bytes()));
        }
        return out;
    }
}
