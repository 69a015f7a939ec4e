package dev.sealpost.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Writes a PNG file (PNG 3rd edition, W3C 2025 / ISO/IEC 15948, clause 5 "Datastream structure"):
 * signature, IHDR, the given colour chunks, PLTE and tRNS for a palette, one IDAT holding the
 * whole zlib stream, IEND. Each chunk is length, type, data and the CRC-32 of type and data
 * (5.5 "CRC algorithm", the same CRC as {@link CRC32}).
 */
final class PngWriter {
    private PngWriter() {}

    /**
     * @param raster       the image type and size (its rows are already in {@code zlib})
     * @param colourChunks complete chunks that belong before PLTE and IDAT (gAMA, cHRM, iCCP, sRGB,
     *                     cICP, mDCv, cLLi), written right after IHDR as given
     * @param zlib         the filtered rows, compressed as one zlib stream (RFC 1950)
     * @return the PNG file, non-interlaced
     */
    static byte[] write(PngRaster raster, byte[] colourChunks, byte[] zlib) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(zlib.length + colourChunks.length + 1024);
        out.writeBytes(PngChunks.SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, raster.width());
        putInt(ihdr, 4, raster.height());
        ihdr[8] = (byte) raster.bitDepth();
        ihdr[9] = (byte) raster.colourType();
        // 10: compression method 0 (deflate), 11: filter method 0, 12: interlace method 0 (none)
        chunk(out, "IHDR", ihdr);
        out.writeBytes(colourChunks);
        if (raster.palette() != null) {
            chunk(out, "PLTE", raster.palette());
            if (raster.alphas() != null) {
                chunk(out, "tRNS", raster.alphas());
            }
        }
        chunk(out, "IDAT", zlib);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /**
     * @param chunks complete chunks, back to back
     * @param type   a chunk type
     * @return true if a chunk of {@code type} is among them
     */
    static boolean contains(byte[] chunks, String type) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        for (int pos = 0; pos + 8 <= chunks.length; pos += 12 + getInt(chunks, pos)) {
            if (chunks[pos + 4] == t[0] && chunks[pos + 5] == t[1] && chunks[pos + 6] == t[2] && chunks[pos + 7] == t[3]) {
                return true;
            }
            if (getInt(chunks, pos) < 0) {
                return false;
            }
        }
        return false;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] header = new byte[8];
        putInt(header, 0, data.length);
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, header, 4, 4);
        CRC32 crc = new CRC32();
        crc.update(header, 4, 4);
        crc.update(data);
        byte[] trailer = new byte[4];
        putInt(trailer, 0, (int) crc.getValue());
        out.writeBytes(header);
        out.writeBytes(data);
        out.writeBytes(trailer);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
