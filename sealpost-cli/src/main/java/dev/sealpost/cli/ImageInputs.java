package dev.sealpost.cli;

import dev.sealpost.client.Attachment;
import dev.sealpost.media.Compression;
import dev.sealpost.media.ImageFormat;
import dev.sealpost.media.Images;
import dev.sealpost.media.MediaOptions;
import dev.sealpost.media.MetadataKind;
import dev.sealpost.media.Thumbnails;
import dev.sealpost.media.PreparedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Option;

/** {@code --image FILE|DIR... --compress MODE}: images to attach, and how to compress them. */
final class ImageInputs {
    @Option(names = "--image", paramLabel = "FILE|DIR", arity = "1..*",
            description = "An image to attach (PNG, JPEG, GIF, BMP, TIFF, WebP), or a folder of them (its images, sorted by path; other files skipped); repeatable.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--compress", paramLabel = "MODE", defaultValue = "lossless",
            description = "lossless (default: PNG re-encoded smaller, JPEG kept as is), jpeg[:QUALITY] (default 85), or none.")
    String compress = "lossless";

    @Option(names = "--keep-metadata",
            description = "Send images kept as given with their metadata (EXIF, GPS position, XMP, comments); by default only pixels, colour and orientation travel.")
    boolean keepMetadata;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "100000000",
            description = "Refuse images of more than N pixels (width x height), checked from the header before decoding (default 100 megapixels).")
    long maxPixels = Images.DEFAULT_MAX_PIXELS;

    @Option(names = "--max-size", paramLabel = "PX", defaultValue = "0",
            description = "Downscale images whose longer side exceeds PX pixels (high-quality filter); 0 (default) keeps the size.")
    int maxSize;

    /**
     * Validates and compresses every image before anything is sealed or sent, with a
     * progress bar (images, bytes, rate, ETA) when standard error is a terminal.
     *
     * @return the prepared images, in order
     * @throws IOException naming the first file that is missing, unreadable or not an image
     */
    List<PreparedImage> prepareImages(Ctx ctx, boolean quiet) throws IOException {
        if (maxSize < 0) {
            throw new IllegalArgumentException("--max-size must be 0 or a positive number of pixels");
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("--max-pixels must be a positive number of pixels");
        }
        MediaOptions options = new MediaOptions(Compression.parse(compress), keepMetadata, maxPixels, maxSize);
        List<Path> files = expand(ctx, quiet);
        long total = 0;
        for (Path p : files) {
            total += Files.size(p);
        }
        List<PreparedImage> out = new ArrayList<>();
        try (ProgressBar bar = progressBar(quiet, files.size(), total)) {
            for (Path p : files) {
                PreparedImage img = Images.prepare(p, options);
                out.add(img);
                if (bar != null) {
                    bar.stepBy(img.originalSize());
                    bar.setExtraMessage(" " + out.size() + "/" + files.size() + " images");
                }
            }
        }
        if (!quiet) {
            for (PreparedImage img : out) {
                long before = img.originalSize();
                long after = img.bytes().length;
                String change = before == after ? " (unchanged)"
                        : String.format(" (%+.0f%%)", 100.0 * (after - before) / Math.max(1, before));
                ctx.out().printf("image %s: %dx%d, %,d -> %,d bytes%s [%s]%n", Terminal.printable(img.filename()),
                        img.width(), img.height(), before, after, change, compress);
                if (img.metadataKept()) {
                    ctx.out().printf("  warning: %s still carries %s%n", Terminal.printable(img.filename()), describe(img.metadata()));
                } else if (!img.removed().isEmpty()) {
                    ctx.out().printf("  removed %s%n", describe(img.removed()));
                }
            }
        }
        return out;
    }

    /**
     * As {@link #prepareImages}, each with a thumbnail ({@link Thumbnails}) to travel in the envelope.
     */
    List<Attachment> prepare(Ctx ctx, boolean quiet) throws IOException {
        List<Attachment> out = new ArrayList<>();
        for (PreparedImage img : prepareImages(ctx, quiet)) {
            Attachment.Thumbnail thumb = Thumbnails.of(img)
                    .map(t -> new Attachment.Thumbnail(t.mediaType(), t.bytes(), t.width(), t.height())).orElse(null);
            out.add(new Attachment(img.filename(), img.mediaType(), img.bytes(), img.width(), img.height(), thumb));
        }
        return out;
    }

    private static String describe(java.util.Set<MetadataKind> kinds) {
        return kinds.stream().map(MetadataKind::description).collect(java.util.stream.Collectors.joining(", "));
    }

    /** Files as named, and each folder's image files (recursively, sorted, hidden files skipped). */
    private List<Path> expand(Ctx ctx, boolean quiet) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : images) {
            if (!Files.isDirectory(p)) {
                files.add(p);
                continue;
            }
            List<Path> inDir;
            try (Stream<Path> s = Files.walk(p)) {
                inDir = s.filter(Files::isRegularFile)
                        .filter(f -> !hidden(p.relativize(f)))
                        .sorted().toList();
            }
            int skipped = 0;
            for (Path f : inDir) {
                if (isImage(f)) {
                    files.add(f);
                } else {
                    skipped++;
                }
            }
            if (skipped > 0 && !quiet) {
                ctx.out().printf("%s: skipped %d file%s that %s not images%n", p, skipped, skipped == 1 ? "" : "s",
                        skipped == 1 ? "is" : "are");
            }
        }
        return files;
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isImage(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return ImageFormat.detect(in.readNBytes(32)).isPresent();
        }
    }

    private static ProgressBar progressBar(boolean quiet, int count, long bytes) {
        java.io.Console console = System.console();
        if (quiet || count < 2 || console == null || !console.isTerminal()) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("compressing").setInitialMax(bytes)
                .setUnit(" MB", 1_000_000).showSpeed().setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200).continuousUpdate().build();
    }
}
