package dev.sealpost.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * The RIFF chunks of a WebP file (WebP container specification, RFC 9649 section 2.7), for
 * stripping metadata: the EXIF and XMP chunks and unknown chunks are dropped, the VP8X flags and
 * the RIFF size are corrected, and the image chunks (VP8, VP8L, ALPH, ANIM, ANMF) and the ICC
 * profile (ICCP) are copied byte for byte.
 */
final class WebpChunks {
    private static final Set<String> KEPT = Set.of("VP8X", "ICCP", "ANIM", "ANMF", "ALPH", "VP8 ", "VP8L");
    /** VP8X flag bits (byte 0 of its payload). */
    private static final int EXIF_FLAG = 0x08;
    private static final int XMP_FLAG = 0x04;

    private WebpChunks() {}

    /**
     * @param webp a whole WebP file that passed {@link WebpHeader#parse}
     * @return the stripped file and what was found; if the EXIF orientation is not 1, a minimal
     *         EXIF chunk holding only that tag is kept at the end, as the specification places EXIF
     * @throws IOException if a chunk runs past the RIFF size, or the VP8X chunk is not one of 10 bytes
     */
    static MetadataScan strip(byte[] webp) throws IOException {
        WebpHeader.parse(webp);
        long end = 8 + le32(webp, 4);
        ByteArrayOutputStream out = new ByteArrayOutputStream(webp.length);
        out.write(webp, 0, 12);
        EnumSet<MetadataKind> found = MetadataScan.kinds();
        Exif.Info exif = null;
        int vp8xFlags = -1;
        int pos = 12;
        while (pos < end) {
            if (end - pos < 8) {
                throw new IOException("truncated chunk header at byte " + pos);
            }
            String id = new String(webp, pos, 4, StandardCharsets.ISO_8859_1);
            long size = le32(webp, pos + 4);
            if (size > end - pos - 8) {
                throw new IOException("truncated in the " + id.strip() + " chunk");
            }
            int padded = (int) Math.min(size + (size & 1), end - pos - 8);
            if (KEPT.contains(id)) {
                if (id.equals("VP8X")) {
                    // RFC 9649 §2.7: one VP8X chunk, 10 bytes long (its flags are patched below)
                    if (size < 10 || vp8xFlags >= 0) {
                        throw new IOException(vp8xFlags >= 0 ? "a second VP8X chunk" : "VP8X chunk of " + size + " bytes, not 10");
                    }
                    vp8xFlags = out.size() + 8;
                }
                out.write(webp, pos, 8 + padded);
            } else if (id.equals("EXIF")) {
                Exif.Info info = Exif.readBlock(webp, pos + 8, (int) size);
                exif = exif == null ? info : exif;
                found.addAll(info.kinds());
            } else if (id.equals("XMP ")) {
                found.add(MetadataKind.XMP);
                if (new String(webp, pos + 8, (int) size, StandardCharsets.ISO_8859_1).contains("GPS")) {
                    found.add(MetadataKind.GPS);
                }
            } else {
                found.add(MetadataKind.OTHER);
            }
            pos += 8 + padded;
        }
        if (MetadataScan.hasContent(webp, (int) end)) {
            found.add(MetadataKind.OTHER);
        }
        int orientation = exif == null ? 1 : exif.orientation();
        boolean keepExif = orientation != 1 && vp8xFlags >= 0;
        if (keepExif) {
            byte[] tiff = Exif.minimal(orientation, exif.order());
            out.write('E');
            out.write('X');
            out.write('I');
            out.write('F');
            out.write(tiff.length);
            out.write(0);
            out.write(0);
            out.write(0);
            out.write(tiff, 0, tiff.length);
        }
        byte[] stripped = out.toByteArray();
        if (vp8xFlags >= 0) {
            int flags = stripped[vp8xFlags] & ~(EXIF_FLAG | XMP_FLAG);
            stripped[vp8xFlags] = (byte) (keepExif ? flags | EXIF_FLAG : flags);
        }
        long riffSize = stripped.length - 8L;
        for (int i = 0; i < 4; i++) {
            stripped[4 + i] = (byte) (riffSize >>> (8 * i));
        }
        return new MetadataScan(stripped, found, keepExif ? orientation : 1);
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
