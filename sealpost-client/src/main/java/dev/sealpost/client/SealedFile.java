package dev.sealpost.client;

import java.nio.file.Path;

/**
 * A message sealed to a file, offline.
 *
 * @param path          the file written: an S/MIME {@code .p7m}, or a bundle when it carries
 *                      streamed files ({@link Bundle})
 * @param bytes         its size in bytes
 * @param streamedFiles how many files travel as streamed files inside the bundle (0 for a {@code .p7m})
 * @param letter        the letter as signed
 */
public record SealedFile(Path path, long bytes, int streamedFiles, Letter letter) {}
