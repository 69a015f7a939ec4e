package dev.sealpost.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The chunk structure of a PNG file (RFC 2083 / PNG 3rd edition), walked without decoding:
 * lengths within the file, CRCs of critical chunks, IHDR first, IDAT present, IEND reached.
 * Also the place where chunk-level metadata handling (stripping, copying) lives.
 */
final class PngChunks {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    /** Ancillary chunks that change how pixels look; a lossless re-encode carries them over. */
    private static final Set<String> COLOUR_CHUNKS = Set.of("cHRM", "gAMA", "iCCP", "sRGB", "cICP", "mDCv", "cLLi");
    private static final int IHDR_END = SIGNATURE.length + 8 + 13 + 4;

    /**
     * @param type   four ASCII letters
     * @param offset where the chunk (its length field) starts in the file
     * @param length of the chunk data in bytes; the chunk occupies {@code length + 12} bytes
     * @param crcOk  whether the stored CRC matches
     */
    record Chunk(String type, int offset, int length, boolean crcOk) {
        boolean critical() {
            return Character.isUpperCase(type.charAt(0));
        }
    }

    private final byte[] png;
    private final List<Chunk> chunks;

    private PngChunks(byte[] png, List<Chunk> chunks) {
        this.png = png;
        this.chunks = List.copyOf(chunks);
    }

    /**
     * @param png a whole PNG file
     * @return its chunks up to and including IEND; anything after IEND is ignored
     * @throws IOException if the file is truncated or its structure is broken
     */
    static PngChunks parse(byte[] png) throws IOException {
        if (png.length < SIGNATURE.length || !Arrays.equals(png, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new IOException("no PNG signature");
        }
        List<Chunk> chunks = new ArrayList<>();
        CRC32 crc = new CRC32();
        int pos = SIGNATURE.length;
        boolean idat = false;
        while (true) {
            if (png.length - pos < 12) {
                throw new IOException("truncated at byte " + pos + ", before IEND");
            }
            int length = readInt(png, pos);
            if (length < 0) {
                throw new IOException("bad chunk length at byte " + pos);
            }
            if (png.length - pos - 12 < length) {
                throw new IOException("truncated in a chunk at byte " + pos);
            }
            String type = chunkType(png, pos + 4);
            crc.reset();
            crc.update(png, pos + 4, length + 4);
            Chunk chunk = new Chunk(type, pos, length, (int) crc.getValue() == readInt(png, pos + 8 + length));
            if (!chunk.crcOk() && chunk.critical()) {
                throw new IOException("bad CRC in " + type + " chunk at byte " + pos);
            }
            if (chunks.isEmpty() && !(type.equals("IHDR") && length == 13)) {
                throw new IOException("IHDR is not the first chunk");
            }
            chunks.add(chunk);
            idat |= type.equals("IDAT");
            if (type.equals("IEND")) {
                break;
            }
            pos += length + 12;
        }
        if (!idat) {
            throw new IOException("no IDAT chunk");
        }
        return new PngChunks(png, chunks);
    }

    List<Chunk> chunks() {
        return chunks;
    }

    /** @return true for an animated PNG (an acTL chunk before the first IDAT) */
    boolean animated() {
        for (Chunk c : chunks) {
            if (c.type().equals("IDAT")) {
                return false;
            }
            if (c.type().equals("acTL")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param png a PNG file that starts with a well-formed IHDR
     * @return the IHDR colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
     */
    static int colourType(byte[] png) {
        return png[SIGNATURE.length + 8 + 9] & 0xFF;
    }

    /** @return the colour chunks (gAMA, cHRM, iCCP, sRGB, cICP, mDCv, cLLi) with intact CRCs, verbatim */
    byte[] colourChunks() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Chunk c : chunks) {
            if (c.crcOk() && COLOUR_CHUNKS.contains(c.type())) {
                out.write(png, c.offset(), c.length() + 12);
            }
        }
        return out.toByteArray();
    }

    /**
     * @param png    a PNG whose chunks after IHDR include none of {@code chunks}' types
     * @param chunks complete chunks to place right after IHDR (where all colour chunks may go)
     * @return a new PNG, or {@code png} itself if {@code chunks} is empty
     */
    static byte[] insertAfterHeader(byte[] png, byte[] chunks) {
        if (chunks.length == 0) {
            return png;
        }
        byte[] out = new byte[png.length + chunks.length];
        System.arraycopy(png, 0, out, 0, IHDR_END);
        System.arraycopy(chunks, 0, out, IHDR_END, chunks.length);
        System.arraycopy(png, IHDR_END, out, IHDR_END + chunks.length, png.length - IHDR_END);
        return out;
    }

    private static String chunkType(byte[] png, int at) throws IOException {
        for (int i = at; i < at + 4; i++) {
            int b = png[i] & 0xFF;
            if (!(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z')) {
                throw new IOException("bad chunk type at byte " + at);
            }
        }
        return new String(png, at, 4, StandardCharsets.US_ASCII);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
