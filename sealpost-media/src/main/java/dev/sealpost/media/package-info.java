/**
 * Images attached to sealpost messages: safe probing of untrusted files (format by content,
 * pixel limit before decoding, structure checks), and the compression modes.
 *
 * <p>Entry points: {@link dev.sealpost.media.Images#prepare(java.nio.file.Path, dev.sealpost.media.Compression)}
 * and {@link dev.sealpost.media.Compression#parse(String)}; {@link dev.sealpost.media.SampleImages} makes
 * licence-free images for demos and tests. Everything else in the package is package-private: the
 * pipeline is {@code Probe} (header, limit, structure) then a {@code Compressor} per mode, which uses
 * {@code Decoder} and the PNG or JPEG encoder.
 */
package dev.sealpost.media;
