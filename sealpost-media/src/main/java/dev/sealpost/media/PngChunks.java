package dev.sealpost.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The chunk structure of a PNG file (RFC 2083 / PNG 3rd edition), walked without decoding:
 * lengths within the file, CRCs of critical chunks, IHDR first, IDAT present, IEND reached.
 * Also the place where chunk-level metadata handling (stripping, copying) lives: see {@link #strip}.
 */
final class PngChunks {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    /** Ancillary chunks that change how pixels look; a lossless re-encode carries them over. */
    private static final Set<String> COLOUR_CHUNKS = Set.of("cHRM", "gAMA", "iCCP", "sRGB", "cICP", "mDCv", "cLLi");
    /**
     * Ancillary chunks kept by {@link #strip}: the colour chunks, and those that define or place the
     * pixels (transparency, background, pixel size, significant bits, palette data, APNG frames).
     */
    private static final Set<String> PIXEL_CHUNKS = Set.of("tRNS", "bKGD", "pHYs", "sBIT", "sPLT", "hIST",
            "acTL", "fcTL", "fdAT");
    /** Keywords of PNG text chunks that hold other metadata formats (ImageMagick, exiftool, Adobe). */
    private static final Map<String, MetadataKind> TEXT_KEYWORDS = Map.of(
            "XML:com.adobe.xmp", MetadataKind.XMP, "Raw profile type xmp", MetadataKind.XMP,
            "Raw profile type exif", MetadataKind.EXIF, "Raw profile type APP1", MetadataKind.EXIF,
            "Raw profile type iptc", MetadataKind.IPTC, "Raw profile type 8bim", MetadataKind.IPTC,
            "Author", MetadataKind.AUTHOR, "Copyright", MetadataKind.AUTHOR, "Creation Time", MetadataKind.DATE);
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

    /**
     * Removes metadata at chunk level, keeping every critical chunk, the colour chunks and the chunks
     * that define the pixels byte for byte (CRCs stay valid). Drops tEXt, zTXt, iTXt, eXIf, tIME,
     * any other ancillary chunk (PNG 3rd edition, W3C / ISO/IEC 15948), ancillary chunks with a bad
     * CRC, and bytes after IEND. If an eXIf orientation is not 1, a minimal eXIf chunk holding only
     * that tag is placed after IHDR.
     *
     * @return the stripped file and what was found
     */
    MetadataScan strip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length);
        out.write(SIGNATURE, 0, SIGNATURE.length);
        EnumSet<MetadataKind> found = MetadataScan.kinds();
        Exif.Info exif = null;
        for (Chunk c : chunks) {
            String type = c.type();
            if (c.critical() || c.crcOk() && (COLOUR_CHUNKS.contains(type) || PIXEL_CHUNKS.contains(type))) {
                out.write(png, c.offset(), c.length() + 12);
            } else if (!c.crcOk()) {
                continue;
            } else if (type.equals("tEXt") || type.equals("zTXt") || type.equals("iTXt")) {
                MetadataKind kind = TEXT_KEYWORDS.getOrDefault(keyword(c), MetadataKind.COMMENT);
                found.add(kind);
                if (kind == MetadataKind.XMP && type.equals("iTXt") && containsGps(c)) {
                    found.add(MetadataKind.GPS);
                }
            } else if (type.equals("eXIf")) {
                Exif.Info info = Exif.readBlock(png, c.offset() + 8, c.length());
                exif = exif == null ? info : exif;
                found.addAll(info.kinds());
            } else if (type.equals("tIME")) {
                found.add(MetadataKind.DATE);
            } else {
                found.add(MetadataKind.OTHER);
            }
        }
        Chunk iend = chunks.get(chunks.size() - 1);
        if (MetadataScan.hasContent(png, iend.offset() + 12)) {
            found.add(MetadataKind.OTHER);
        }
        byte[] stripped = out.toByteArray();
        int orientation = exif == null ? 1 : exif.orientation();
        if (orientation != 1) {
            stripped = insertAfterHeader(stripped, chunk("eXIf", Exif.minimal(orientation, exif.order())));
        }
        return new MetadataScan(stripped, found, orientation);
    }

    /** @return true if the chunk's data, read as Latin-1, mentions GPS (XMP's exif:GPS... properties) */
    private boolean containsGps(Chunk c) {
        return new String(png, c.offset() + 8, c.length(), StandardCharsets.ISO_8859_1).contains("exif:GPS");
    }

    /** @return the keyword of a text chunk: Latin-1 up to the first NUL, at most 79 characters */
    private String keyword(Chunk c) {
        int start = c.offset() + 8;
        int end = start;
        while (end < start + Math.min(c.length(), 80) && png[end] != 0) {
            end++;
        }
        return new String(png, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * @param type four ASCII letters
     * @param data the chunk data
     * @return a complete chunk: length, type, data and CRC
     */
    static byte[] chunk(String type, byte[] data) {
        byte[] out = new byte[data.length + 12];
        writeInt(out, 0, data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(out, 4, data.length + 4);
        writeInt(out, data.length + 8, (int) crc.getValue());
        return out;
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
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
