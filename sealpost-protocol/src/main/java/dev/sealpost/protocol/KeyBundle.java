package dev.sealpost.protocol;

/**
 * An account's entry in the relay's key directory: its two certificates as PEM text.
 *
 * @param name                  the account name
 * @param signingCertificate    PEM of the certificate whose key signs (CMS SignedData)
 * @param encryptionCertificate PEM of the certificate whose key receives content keys
 *                              (RSAES-OAEP or ECDH key agreement)
 */
public record KeyBundle(String name, String signingCertificate, String encryptionCertificate) {}
