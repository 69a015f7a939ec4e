package dev.sealpost.client;

import dev.sealpost.crypto.Fingerprint;
import java.time.Instant;

/**
 * A message that decrypted, verified against a trusted certificate and passed the header
 * checks.
 *
 * @param letter            the content
 * @param signer            the trusted sender's name
 * @param signerFingerprint fingerprint of the certificate the signature verified against
 * @param signingTime       the signed signing-time attribute, or null if absent
 */
public record Opened(Letter letter, String signer, Fingerprint signerFingerprint, Instant signingTime) {}
