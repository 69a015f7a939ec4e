package dev.sealpost.media;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.testkit.FuzzBugs;
import java.io.IOException;

/**
 * Fuzz targets for images from outside (a file given to {@code send}, or one inside a received
 * message): format detection, the pixel cap, the container walkers and, last, decoding.
 * A target fails only on an undocumented exception or an Error (OutOfMemoryError included: the
 * pixel cap must hold before anything is allocated). Seeds: ImagesFuzzTestInputs/METHOD/.
 */
class ImagesFuzzTest {
    /** Small, so that a mutated header's dimensions hit the cap rather than the heap. */
    private static final long MAX_PIXELS = 1 << 16;

    /** {@link Probe}: detection, header dimensions, the pixel cap, structure; then the metadata walk. */
    @FuzzTest
    void probe(byte[] data) {
        ImageFormat.detect(data);
        SourceImage source;
        try {
            source = Probe.probe("fuzz", data, MAX_PIXELS);
        } catch (ImageException e) {
            FuzzBugs.rethrowOurs(e);
            return;
        }
        try {
            MetadataScan.scan(source.format(), source.data());
        } catch (IOException e) {
            FuzzBugs.rethrowOurs(e);
        }
    }

    /** The whole {@link Images#prepare}: decode under the cap, strip, re-encode losslessly. */
    @FuzzTest
    void prepare(byte[] data) {
        try {
            Images.prepare("fuzz", data, new MediaOptions(Compression.lossless(), false, MAX_PIXELS / 4, 0));
        } catch (ImageException e) {
            FuzzBugs.rethrowOurs(e);
        }
    }

    /** {@link PngChunks}: CRCs, chunk order, APNG, and stripping. */
    @FuzzTest
    void pngChunks(byte[] data) {
        try {
            PngChunks.parse(data).strip();
        } catch (IOException e) {
            FuzzBugs.rethrowOurs(e);
        }
    }

    /** {@link JpegSegments}: the structure check and the metadata strip. */
    @FuzzTest
    void jpegSegments(byte[] data) {
        try {
            JpegSegments.check(data);
        } catch (IOException e) {
            FuzzBugs.rethrowOurs(e);
        }
        try {
            JpegSegments.strip(data);
        } catch (IOException e) {
            FuzzBugs.rethrowOurs(e);
        }
    }

    /** {@link GifBlocks}: extension and image blocks, comments and application data stripped. */
    @FuzzTest
    void gifBlocks(byte[] data) {
        try {
            GifBlocks.strip(data);
        } catch (IOException e) {
            FuzzBugs.rethrowOurs(e);
        }
    }

    /** {@link WebpHeader} (dimensions before decoding) and {@link WebpChunks} (RIFF chunks, VP8X flags). */
    @FuzzTest
    void webpChunks(byte[] data) {
        try {
            WebpHeader.parse(data);
        } catch (IOException e) {
            FuzzBugs.rethrowOurs(e);
        }
        try {
            WebpChunks.strip(data);
        } catch (IOException e) {
            FuzzBugs.rethrowOurs(e);
        }
    }

    /** {@link Exif}: a TIFF file's IFDs, and an EXIF block as a JPEG or PNG carries it; documents no exception. */
    @FuzzTest
    void tiffExif(byte[] data) {
        Exif.readTiffFile(data);
        Exif.readBlock(data, 0, data.length);
    }
}
