package dev.sealpost.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An ImageIO reader over bytes in memory, metadata ignored (so that compressed text chunks are
 * never inflated), closed together with its stream. Uses a memory cache rather than ImageIO's
 * default temporary files.
 */
final class ImageIoReader implements AutoCloseable {
    private final ImageReader reader;
    private final ImageInputStream in;

    private ImageIoReader(ImageReader reader, ImageInputStream in) {
        this.reader = reader;
        this.in = in;
    }

    /** @return true if an ImageIO reader is installed for {@code format} (none for WebP in the JDK) */
    static boolean available(ImageFormat format) {
        return ImageIO.getImageReadersByFormatName(imageIoName(format)).hasNext();
    }

    /**
     * @throws IIOException if no reader is installed for {@code format}
     */
    static ImageIoReader open(ImageFormat format, byte[] data) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(imageIoName(format));
        if (!readers.hasNext()) {
            throw new IIOException("no ImageIO reader for " + format);
        }
        ImageReader reader = readers.next();
        ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data));
        reader.setInput(in, false, true);
        return new ImageIoReader(reader, in);
    }

    ImageReader reader() {
        return reader;
    }

    /**
     * @return the width of the image at {@code index}, or empty if there is no such image or it
     *         cannot be located; for counting frames without scanning a whole file
     */
    Optional<Integer> widthIfPresent(int index) {
        try {
            return Optional.of(reader.getWidth(index));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        reader.dispose();
        try {
            in.close();
        } catch (IOException e) {
            // a memory-backed stream: nothing to release
        }
    }

    private static String imageIoName(ImageFormat format) {
        return format.name().toLowerCase(Locale.ROOT);
    }
}
