package dev.sealpost.client;

import java.security.cert.X509Certificate;

/**
 * A signing certificate the receiver trusts for a name: a pinned contact, the user's own
 * identity, or a certificate file the user named with {@code --from}.
 *
 * @param name               the sender's account name
 * @param signingCertificate the certificate signatures must verify against
 */
public record TrustedSigner(String name, X509Certificate signingCertificate) {}
