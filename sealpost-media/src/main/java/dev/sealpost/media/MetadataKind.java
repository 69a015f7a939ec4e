package dev.sealpost.media;

/**
 * Kinds of metadata found in an image file, for telling the user what was removed (or what
 * travels, when metadata is kept). Colour information (ICC profiles, PNG gAMA, cHRM, sRGB) and
 * the orientation are not metadata in this sense: they change how the pixels look and are kept.
 *
 * <p>One file usually shows several kinds: a camera JPEG has {@link #EXIF} and often {@link #GPS},
 * {@link #CAMERA} and {@link #DATE}, each found from the EXIF tags that hold them (CIPA DC-008,
 * Exif 2.32).
 */
public enum MetadataKind {
    /** GPS position: an EXIF GPS IFD (tag 0x8825) or GPS properties in XMP. */
    GPS("GPS position"),
    /** Camera or lens make, model or serial number (EXIF Make, Model, BodySerialNumber, Lens*). */
    CAMERA("camera make, model and serial number"),
    /** Names of people: EXIF Artist, Copyright, CameraOwnerName, a PNG Author text. */
    AUTHOR("author and copyright"),
    /** When the picture was taken or changed: EXIF DateTime*, PNG tIME. */
    DATE("date and time"),
    /** A description or comment: JPEG COM, GIF comment, PNG text chunks, EXIF ImageDescription. */
    COMMENT("comments and text"),
    /** A smaller copy of the picture, which may show what was cropped: EXIF IFD1, JFIF, MPF. */
    THUMBNAIL("embedded thumbnail or preview"),
    /** EXIF data of any other kind. */
    EXIF("other EXIF data"),
    /** XMP packet (Adobe Extensible Metadata Platform, ISO 16684-1). */
    XMP("XMP"),
    /** IPTC or other Photoshop image resources (JPEG APP13, TIFF tags 33723 and 34377). */
    IPTC("IPTC/Photoshop data"),
    /** Application data of other kinds, unknown chunks, or bytes after the end of the image. */
    OTHER("other application data");

    private final String description;

    MetadataKind(String description) {
        this.description = description;
    }

    /** @return a short lowercase description for users, e.g. {@code "GPS position"} */
    public String description() {
        return description;
    }
}
