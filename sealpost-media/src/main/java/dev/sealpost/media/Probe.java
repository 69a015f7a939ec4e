package dev.sealpost.media;

import java.io.IOException;

/**
 * First contact with untrusted bytes: recognise the format by content, read the dimensions from
 * the header, refuse anything over the pixel limit before a single pixel is allocated, then check
 * the container structure. Nothing is decoded here.
 */
final class Probe {
    private Probe() {}

    /**
     * @param name      the file name as given, for messages
     * @param data      the whole file
     * @param maxPixels largest width x height accepted
     * @throws ImageException if the content is not an image, is over the limit, or is truncated or corrupt
     */
    static SourceImage probe(String name, byte[] data, long maxPixels) throws ImageException {
        ImageFormat format = ImageFormat.detect(data)
                .orElseThrow(() -> new ImageException(name, "not an image (unrecognised content)"));
        int width;
        int height;
        boolean multiFrame = false;
        if (format == ImageFormat.WEBP) {
            try {
                WebpHeader header = WebpHeader.parse(data);
                width = header.width();
                height = header.height();
                multiFrame = header.animated();
            } catch (IOException e) {
                throw SourceImage.corrupt(name, format, e);
            }
        } else {
            try (ImageIoReader r = ImageIoReader.open(format, data)) {
                width = r.reader().getWidth(0);
                height = r.reader().getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw SourceImage.corrupt(name, format, e);
            }
            if (width <= 0 || height <= 0) {
                throw SourceImage.corrupt(name, format, null);
            }
        }
        checkPixelLimit(name, width, height, maxPixels);
        try {
            switch (format) {
                case PNG -> multiFrame = PngChunks.parse(data).animated();
                case JPEG -> JpegSegments.check(data);
                case GIF, TIFF -> multiFrame = hasSecondImage(format, data);
                case BMP -> checkBmpFileSize(data);
                case WEBP -> { }
            }
        } catch (IOException e) {
            throw SourceImage.corrupt(name, format, e);
        }
        return new SourceImage(name, data, format, width, height, multiFrame);
    }

    static void checkPixelLimit(String name, int width, int height, long maxPixels) throws ImageException {
        if ((long) width * height > maxPixels) {
            throw new ImageException(name, width + "x" + height + " pixels exceeds the " + describe(maxPixels) + " limit");
        }
    }

    private static String describe(long maxPixels) {
        return maxPixels % 1_000_000 == 0 ? maxPixels / 1_000_000 + " megapixel" : maxPixels + " pixel";
    }

    /** The BMP file header's size field, where set (some writers leave it 0), must fit the data. */
    private static void checkBmpFileSize(byte[] bmp) throws IOException {
        long declared = (bmp[2] & 0xFFL) | (bmp[3] & 0xFFL) << 8 | (bmp[4] & 0xFFL) << 16 | (bmp[5] & 0xFFL) << 24;
        if (declared > bmp.length) {
            throw new IOException("truncated: header says " + declared + " bytes, file has " + bmp.length);
        }
    }

    /** Looks for a second frame or page, which reads at most the headers of the first two. */
    private static boolean hasSecondImage(ImageFormat format, byte[] data) {
        try (ImageIoReader r = ImageIoReader.open(format, data)) {
            return r.widthIfPresent(1).isPresent();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
