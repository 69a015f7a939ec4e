package dev.sealpost.crypto;

import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JCA providers sealpost uses, passed explicitly; the global provider list is never changed.
 *
 * <p>Bulk symmetric work (AES-GCM, SHA-256 over content) runs on the JDK, whose AES-NI and SHA-NI
 * intrinsics are an order of magnitude faster than Bouncy Castle's Java code (DESIGN §3).
 * RSA work runs on the JDK too (RSAES-OAEP key transport, RSASSA-PSS through {@link JdkPss}):
 * building the Bouncy Castle provider and its primality test of each RSA modulus cost a fresh
 * process 0.1 to 0.2 s. The Bouncy Castle provider is built only for what the JDK lacks or names
 * differently: EC key agreement with the X9.63 KDF of RFC 5753, ECDSA signing and certificate
 * issuing. Bouncy Castle's CMS, ASN.1 and X.509 code (not its provider) is used throughout.
 */
final class Providers {
    private Providers() {}

    /** One shared source of randomness; the JDK's default {@code SecureRandom} is thread-safe. */
    static final SecureRandom RANDOM = new SecureRandom();

    /** @return the Bouncy Castle provider instance, created once, never registered globally */
    static Provider bc() {
        return Holder.BC;
    }

    /** @return the JDK's SunJCE provider (AES-GCM, AES-CBC, HMAC, PBKDF2) */
    static Provider sunJce() {
        Provider p = Security.getProvider("SunJCE");
        if (p == null) {
            throw new IllegalStateException("the JDK's SunJCE provider is missing");
        }
        return p;
    }

    private static final class Holder {
        static final Provider BC = new BouncyCastleProvider();
    }
}
