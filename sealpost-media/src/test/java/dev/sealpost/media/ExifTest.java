package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExifTest {

    @Test
    void readBlock_cameraExif_findsGpsCameraAuthorDateAndOrientation() {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            byte[] tiff = MetadataSamples.cameraExif(order, 6);

            Exif.Info info = Exif.readBlock(tiff, 0, tiff.length);

            assertEquals(6, info.orientation());
            assertEquals(order, info.order());
            assertEquals(EnumSet.of(MetadataKind.GPS, MetadataKind.CAMERA, MetadataKind.AUTHOR, MetadataKind.DATE,
                    MetadataKind.EXIF), info.kinds());
        }
    }

    @Test
    void readBlock_withExifHeader_skipsIt() {
        byte[] block = TestImages.concat(MetadataSamples.bytes("Exif\0\0"), MetadataSamples.cameraExif(ByteOrder.BIG_ENDIAN, 8));

        assertEquals(8, Exif.readBlock(block, 0, block.length).orientation());
    }

    @Test
    void minimal_readsBackAsOrientationOnly() {
        for (int orientation = 1; orientation <= 8; orientation++) {
            byte[] tiff = Exif.minimal(orientation, ByteOrder.LITTLE_ENDIAN);

            Exif.Info info = Exif.readBlock(tiff, 0, tiff.length);

            assertEquals(26, tiff.length);
            assertEquals(orientation, info.orientation());
            assertEquals(Set.of(), info.kinds());
        }
    }

    @Test
    void readBlock_truncatedOrGarbage_neverThrowsAndReportsExif() {
        byte[] tiff = MetadataSamples.cameraExif(ByteOrder.LITTLE_ENDIAN, 3);
        for (int cut = 0; cut < tiff.length; cut += 3) {
            Exif.Info info = Exif.readBlock(Arrays.copyOf(tiff, cut), 0, cut);

            assertTrue(info.orientation() >= 1 && info.orientation() <= 8);
            assertTrue(!info.kinds().isEmpty() || cut >= 26, "cut at " + cut);
        }
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xFF);
        assertEquals(EnumSet.of(MetadataKind.EXIF), Exif.readBlock(garbage, 0, garbage.length).kinds());
    }

    @Test
    void readBlock_orientationOutOfRange_treatedAs1() {
        byte[] tiff = Exif.minimal(1, ByteOrder.BIG_ENDIAN);
        tiff[19] = 9;

        assertEquals(1, Exif.readBlock(tiff, 0, tiff.length).orientation());
    }

    @Test
    void readTiffFile_plainTiff_findsNoMetadata() {
        byte[] tiff = TestImages.write(TestImages.Kind.RGB.create(8, 8), "tiff");

        assertEquals(Set.of(), Exif.readTiffFile(tiff).kinds());
        assertEquals(1, Exif.readTiffFile(tiff).orientation());
    }
}
