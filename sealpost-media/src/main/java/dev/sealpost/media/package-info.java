/**
 * Images attached to sealpost messages: safe probing of untrusted files (format by content,
 * pixel limit before decoding, structure checks), and the compression modes.
 *
 * <p>Entry points: {@link dev.sealpost.media.Images#prepare(java.nio.file.Path, dev.sealpost.media.MediaOptions)}
 * and {@link dev.sealpost.media.Compression#parse(String)}; the result is a
 * {@link dev.sealpost.media.PreparedImage}, whose metadata report uses
 * {@link dev.sealpost.media.MetadataKind}; {@link dev.sealpost.media.SampleImages} makes
 * licence-free images for demos and tests. Everything else in the package is package-private: the
 * pipeline is {@code Probe} (header, limit, structure), then {@code MetadataScan} (metadata found and
 * stripped at container level by {@code JpegSegments}, {@code PngChunks}, {@code GifBlocks} and
 * {@code WebpChunks}; EXIF read by {@code Exif}), then a {@code Compressor} per mode, which uses
 * {@code Decoder} (pixels, EXIF orientation applied by {@code Orientation}) and the PNG or JPEG
 * encoder.
 */
package dev.sealpost.media;
